using Confluent.Kafka;

namespace Cdc.Common.Kafka;

/// <summary>
/// The watermarks of whole topics, partition by partition. After a broker outage a client's connections can stay
/// wedged and its queries time out: each topic is asked again with fresh clients, up to <see cref="Attempts"/> times,
/// before the error is thrown.
/// </summary>
public sealed class TopicWatermarks(string bootstrapServers) : IDisposable
{
    private const int Attempts = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
    private IConsumer<Ignore, Ignore> _consumer = NewConsumer(bootstrapServers);

    /// <summary>The high watermark (the next offset to be written) of every partition of <paramref name="topics"/>.</summary>
    /// <exception cref="KafkaException">Kafka did not answer after several attempts.</exception>
    public Dictionary<(string Topic, int Partition), long> High(IEnumerable<string> topics) =>
        Read(topics).ToDictionary(w => w.Key, w => w.Value.High.Value);

    /// <summary>Records a topic holds now (high minus low watermark, summed over its partitions).</summary>
    /// <exception cref="KafkaException">Kafka did not answer after several attempts.</exception>
    public long Records(string topic) => Read([topic]).Values.Sum(w => w.High.Value - w.Low.Value);

    public void Dispose()
    {
        _consumer.Dispose();
        _admin.Dispose();
    }

    private Dictionary<(string Topic, int Partition), WatermarkOffsets> Read(IEnumerable<string> topics)
    {
        var watermarks = new Dictionary<(string, int), WatermarkOffsets>();
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var metadata = _admin.GetMetadata(topic, Timeout);
                    foreach (var partition in metadata.Topics.SelectMany(t => t.Partitions))
                    {
                        watermarks[(topic, partition.PartitionId)] = _consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition.PartitionId), Timeout);
                    }

                    break;
                }
                catch (KafkaException e) when (attempt < Attempts && e.Error.IsLocalError)
                {
                    Dispose();
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                    _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
                    _consumer = NewConsumer(bootstrapServers);
                }
            }
        }

        return watermarks;
    }

    private static IConsumer<Ignore, Ignore> NewConsumer(string bootstrapServers) =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "cdc-watermarks", EnableAutoCommit = false }).Build();
}
