using System.Globalization;
using System.Text;
using Cdc.Sink.Planning;
using Confluent.Kafka;

namespace Cdc.Sink.Worker;

/// <summary>
/// Parks records that cannot be decoded or applied on the dead-letter topic, with the original key, value and
/// headers plus Kafka Connect's <c>__connect.errors.*</c> context headers (DESIGN invariant 6). Publishing is
/// awaited: a record's offset is stored only after the broker acknowledged its dead letter.
/// </summary>
public sealed class DeadLetterPublisher(IProducer<byte[]?, byte[]?> producer, string topic, string connectorName, string taskId)
{
    public const string HeaderPrefix = "__connect.errors.";

    public string Topic => topic;

    public async Task PublishAsync(IEnumerable<RecordFailure> failures, CancellationToken cancellationToken)
    {
        var deliveries = failures.Select(f => producer.ProduceAsync(topic, ToMessage(f), cancellationToken)).ToList();
        await Task.WhenAll(deliveries);
    }

    private Message<byte[]?, byte[]?> ToMessage(RecordFailure failure)
    {
        var record = failure.Record;
        var headers = new Headers();
        foreach (var header in record.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        var error = failure.Error;
        Add(headers, "topic", record.Topic);
        Add(headers, "partition", record.Partition.ToString(CultureInfo.InvariantCulture));
        Add(headers, "offset", record.Offset.ToString(CultureInfo.InvariantCulture));
        Add(headers, "connector.name", connectorName);
        Add(headers, "task.id", taskId);
        Add(headers, "stage", Stage(failure.Stage));
        Add(headers, "class.name", typeof(DeadLetterPublisher).FullName!);
        Add(headers, "exception.class.name", error.GetType().FullName ?? error.GetType().Name);
        Add(headers, "exception.message", error.Message);
        Add(headers, "exception.stacktrace", error.ToString());
        return new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value, Headers = headers };
    }

    private static void Add(Headers headers, string name, string value) => headers.Add(HeaderPrefix + name, Encoding.UTF8.GetBytes(value));

    private static string Stage(FailureStage stage) => stage switch
    {
        FailureStage.KeyConverter => "KEY_CONVERTER",
        FailureStage.ValueConverter => "VALUE_CONVERTER",
        _ => "TASK_PUT",
    };
}
