using Confluent.Kafka;

namespace Cdc.Reconciler.Consistency;

/// <summary>High watermarks of the sink's topics: after the slot confirmed L, every change before L is below them.</summary>
internal sealed class KafkaWatermarks(string bootstrapServers) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();

    private readonly IConsumer<Ignore, Ignore> _consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
    {
        BootstrapServers = bootstrapServers,
        GroupId = "cdc-reconciler-watermarks",
        EnableAutoCommit = false,
    }).Build();

    public Dictionary<(string Topic, int Partition), long> Read(IEnumerable<string> topics)
    {
        var watermarks = new Dictionary<(string, int), long>();
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            var metadata = _admin.GetMetadata(topic, Timeout);
            foreach (var partition in metadata.Topics.SelectMany(t => t.Partitions))
            {
                var offsets = _consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition.PartitionId), Timeout);
                watermarks[(topic, partition.PartitionId)] = offsets.High.Value;
            }
        }

        return watermarks;
    }

    public void Dispose()
    {
        _consumer.Dispose();
        _admin.Dispose();
    }
}
