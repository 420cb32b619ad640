using Cdc.Common.Resilience;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Polly;
using Polly.Retry;

namespace Cdc.Common.Kafka;

/// <summary>
/// The watermarks of whole topics, partition by partition. After a broker outage a client's connections can stay
/// wedged and its queries time out: each topic is asked again with fresh clients (pipeline <c>cdc-kafka-watermarks</c>:
/// 5 retries, 1 s apart) before the error is thrown. A topic Kafka reports with an error or without partitions (it does
/// not exist) is an error too, never an empty answer: a caller waiting for "every partition caught up" would otherwise
/// pass having checked nothing. Topics are described (the Admin API), not fetched as metadata, which could auto-create a
/// missing one.
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
    /// <exception cref="KafkaException">Kafka did not answer after several attempts, or a topic does not exist (<see cref="ErrorCode.UnknownTopicOrPart"/>).</exception>
    public Dictionary<(string Topic, int Partition), long> High(IEnumerable<string> topics) =>
        Read(topics).ToDictionary(w => w.Key, w => w.Value.High.Value);

    /// <summary>Records a topic holds now (high minus low watermark, summed over its partitions).</summary>
    /// <exception cref="KafkaException">Kafka did not answer after several attempts, or the topic does not exist.</exception>
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
                foreach (var partition in Partitions(topic))
                {
                    watermarks[(topic, partition)] = _consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Timeout);
                }
            });
        }

        return watermarks;
    }

    private List<int> Partitions(string topic)
    {
        TopicDescription description;
        try
        {
            // Synchronous callers (the demo's progress line, the reconciler's wait loop) on no synchronization context.
#pragma warning disable VSTHRD002
            description = _admin.DescribeTopicsAsync(TopicCollection.OfTopicNames([topic]), new DescribeTopicsOptions { RequestTimeout = Timeout })
                .GetAwaiter().GetResult().TopicDescriptions.Single();
#pragma warning restore VSTHRD002
        }
        catch (DescribeTopicsException e)
        {
            description = e.Results.TopicDescriptions.Single();
        }

        if (description.Error.IsError || description.Partitions.Count == 0)
        {
            var code = description.Error.IsError ? description.Error.Code : ErrorCode.UnknownTopicOrPart;
            throw new KafkaException(new Error(code, $"topic {topic}: {(description.Error.IsError ? description.Error.Reason : "no partitions")}"));
        }

        return [.. description.Partitions.Select(p => p.Partition)];
    }

    private static IAdminClient NewAdmin(string bootstrapServers) => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();

    private static IConsumer<Ignore, Ignore> NewConsumer(string bootstrapServers) =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "cdc-watermarks", EnableAutoCommit = false }).Build();
}
