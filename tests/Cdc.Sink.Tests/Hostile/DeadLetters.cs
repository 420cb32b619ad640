using System.Globalization;
using System.Text;
using Cdc.Sink.Worker;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>The records on a dead-letter topic, read from the beginning, with their <c>__connect.errors.*</c> headers.</summary>
internal static class DeadLetters
{
    /// <summary>
    /// Every record on the (one-partition) dead-letter topic once it holds at least <paramref name="expected"/>, or
    /// what it holds after <paramref name="timeout"/>; with <paramref name="expected"/> 0, what it holds now.
    /// </summary>
    public static List<Message<byte[]?, byte[]?>> Read(KafkaFixture kafka, string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        var partition = new TopicPartition(topic, 0);
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        long high;
        while ((high = consumer.QueryWatermarkOffsets(partition, timeout).High.Value) < expected && TimeProvider.System.GetUtcNow() < deadline)
        {
            Thread.Sleep(100);
        }

        consumer.Assign(new TopicPartitionOffset(partition, Confluent.Kafka.Offset.Beginning));
        var messages = new List<Message<byte[]?, byte[]?>>();
        while (messages.Count < high && TimeProvider.System.GetUtcNow() < deadline + timeout)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                messages.Add(result.Message);
            }
        }

        return [.. messages.OrderBy(m => Offset(m))];
    }

    public static string Header(Message<byte[]?, byte[]?> message, string name) =>
        message.Headers.TryGetLastBytes(DeadLetterPublisher.HeaderPrefix + name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";

    public static long Offset(Message<byte[]?, byte[]?> message) => long.Parse(Header(message, "offset"), CultureInfo.InvariantCulture);

    /// <summary>What a test failure should show: each dead letter's offset, stage and reason.</summary>
    public static string Describe(IEnumerable<Message<byte[]?, byte[]?>> messages) =>
        string.Join("\n", messages.Select(m => $"@{Header(m, "offset")} {Header(m, "stage")}: {Header(m, "exception.message")}"));
}
