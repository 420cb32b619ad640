using Confluent.Kafka;

namespace Cdc.Cli.Demo;

/// <summary>Records in a dead-letter topic, read from its partitions' watermarks.</summary>
internal static class DeadLetterCount
{
    public static long Of(string bootstrapServers, string topic, int partitions)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"demo-dlq-{Guid.NewGuid():N}", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        long total = 0;
        for (var p = 0; p < partitions; p++)
        {
            var w = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10));
            total += w.High.Value - w.Low.Value;
        }

        return total;
    }
}
