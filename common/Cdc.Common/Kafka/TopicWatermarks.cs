using Cdc.Common.Resilience;
using Confluent.Kafka;
using Polly;
using Polly.Retry;

namespace Cdc.Common.Kafka;

/// <summary>
/// The watermarks of whole topics, partition by partition. After a broker outage a client's connections can stay
/// wedged and its queries time out: each topic is asked again with fresh clients (pipeline <c>cdc-kafka-watermarks</c>:
/// 5 retries, 1 s apart) before the error is thrown.
/// </summary>
public sealed class TopicWatermarks : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string _bootstrapServers;
    private readonly ResiliencePipeline _retry;
    private IAdminClient _admin;
    private IConsumer<Ignore, Ignore> _consumer;

    public TopicWatermarks(string bootstrapServers)
    {
        _bootstrapServers = bootstrapServers;
        _admin = NewAdmin(bootstrapServers);
        _consumer = NewConsumer(bootstrapServers);
        _retry = ResiliencePipelines.Builder("cdc-kafka-watermarks")
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<KafkaException>(e => e.Error.IsLocalError),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromSeconds(1),
                OnRetry = _ =>
                {
                    Dispose();
                    _admin = NewAdmin(_bootstrapServers);
                    _consumer = NewConsumer(_bootstrapServers);
                    return default;
                },
            })
            .Build();
    }

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
            _retry.Execute(() =>
            {
                var metadata = _admin.GetMetadata(topic, Timeout);
                foreach (var partition in metadata.Topics.SelectMany(t => t.Partitions))
                {
                    watermarks[(topic, partition.PartitionId)] = _consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition.PartitionId), Timeout);
                }
            });
        }

        return watermarks;
    }

    private static IAdminClient NewAdmin(string bootstrapServers) => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();

    private static IConsumer<Ignore, Ignore> NewConsumer(string bootstrapServers) =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "cdc-watermarks", EnableAutoCommit = false }).Build();
}
