using System.Globalization;
using System.Text;
using Cdc.Sink.Planning;
using Confluent.Kafka;

namespace Cdc.Sink.Worker;

/// <summary>
/// Parks records that cannot be decoded or applied on the dead-letter topic, with the original key, value and headers
/// plus Kafka Connect's <c>__connect.errors.*</c> context headers
/// (docs/design.md#invariant-6-poison-never-blocks-never-vanishes). Publishing is awaited: a record's offset is stored
/// only after the broker acknowledged its dead letter.
/// </summary>
internal sealed class DeadLetterPublisher(IProducer<byte[]?, byte[]?> producer, string topic, string connectorName, string taskId)
{
    public const string HeaderPrefix = "__connect.errors.";

    private const int MaxKeptKeyBytes = 64 * 1024;

    public string Topic => topic;

    /// <summary>Header giving the size of a value left out because the dead letter was too large to publish.</summary>
    public const string ValueDroppedHeader = HeaderPrefix + "value.dropped.bytes";

    public async Task PublishAsync(IEnumerable<RecordFailure> failures, CancellationToken cancellationToken)
    {
        var deliveries = failures.Select(f => PublishAsync(f, cancellationToken)).ToList();
        await Task.WhenAll(deliveries);
    }

    /// <summary>
    /// A dead letter larger than the producer's or the broker's <c>message.max.bytes</c> would fail forever and block
    /// its partition: it is parked again without the value (and original headers), which stays readable in the source
    /// topic at the offset the headers name, with <see cref="ValueDroppedHeader"/> saying how large it was.
    /// </summary>
    private async Task PublishAsync(RecordFailure failure, CancellationToken cancellationToken)
    {
        try
        {
            await producer.ProduceAsync(topic, ToMessage(failure, whole: true), cancellationToken);
        }
        catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.MsgSizeTooLarge)
        {
            await producer.ProduceAsync(topic, ToMessage(failure, whole: false), cancellationToken);
        }
    }

    private Message<byte[]?, byte[]?> ToMessage(RecordFailure failure, bool whole)
    {
        var record = failure.Record;
        var headers = new Headers();
        if (whole)
        {
            foreach (var header in record.Headers ?? [])
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        var error = failure.Error;
        Add(headers, "topic", record.Topic);
        Add(headers, "partition", record.Partition.ToString(CultureInfo.InvariantCulture));
        Add(headers, "offset", record.Offset.ToString(CultureInfo.InvariantCulture));
        Add(headers, "connector.name", connectorName);
        Add(headers, "task.id", taskId);
        Add(headers, "stage", failure.Stage.ConnectName());
        Add(headers, "class.name", typeof(DeadLetterPublisher).FullName!);
        Add(headers, "exception.class.name", error.GetType().FullName ?? error.GetType().Name);
        Add(headers, "exception.message", error.Message);
        Add(headers, "exception.stacktrace", error.ToString());
        if (whole)
        {
            return new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value, Headers = headers };
        }

        headers.Add(ValueDroppedHeader, Encoding.UTF8.GetBytes((record.Value?.Length ?? 0).ToString(CultureInfo.InvariantCulture)));
        return new Message<byte[]?, byte[]?> { Key = record.Key is { Length: <= MaxKeptKeyBytes } key ? key : null, Value = null, Headers = headers };
    }

    private static void Add(Headers headers, string name, string value) => headers.Add(HeaderPrefix + name, Encoding.UTF8.GetBytes(value));
}
