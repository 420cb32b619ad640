using System.Globalization;
using System.Text;
using Cdc.Sink.Worker;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>The records on a dead-letter topic, read from the beginning, with their <c>__connect.errors.*</c> headers.</summary>
internal static class DeadLetters
{
    public static List<Message<byte[]?, byte[]?>> Read(KafkaFixture kafka, string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        consumer.Subscribe(topic);
        var messages = new List<Message<byte[]?, byte[]?>>();
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (messages.Count < expected && TimeProvider.System.GetUtcNow() < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                messages.Add(result.Message);
            }
        }

        consumer.Close();
        return [.. messages.OrderBy(m => Offset(m))];
    }

    public static string Header(Message<byte[]?, byte[]?> message, string name) =>
        message.Headers.TryGetLastBytes(DeadLetterPublisher.HeaderPrefix + name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";

    public static long Offset(Message<byte[]?, byte[]?> message) => long.Parse(Header(message, "offset"), CultureInfo.InvariantCulture);

    /// <summary>What a test failure should show: each dead letter's offset, stage and reason.</summary>
    public static string Describe(IEnumerable<Message<byte[]?, byte[]?>> messages) =>
        string.Join("\n", messages.Select(m => $"@{Header(m, "offset")} {Header(m, "stage")}: {Header(m, "exception.message")}"));
}
