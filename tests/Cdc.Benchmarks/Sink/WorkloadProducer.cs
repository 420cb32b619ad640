using Cdc.DevKit.Kafka;
using Confluent.Kafka;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Produces the workload into a topic of the in-process mock cluster (idempotent, batched, uncompressed), keyed by
/// the order id as Debezium keys by primary key, then proves the mock kept every message: its retention silently
/// drops a partition's oldest messages past ~5 MB, so every partition must still start at offset 0.
/// </summary>
public static class WorkloadProducer
{
    /// <summary>Keep each partition well under the mock's ~5 MB retention.</summary>
    public const long BytesPerPartition = 4_000_000;

    /// <summary>A generous estimate of one event's bytes (key, value and record overhead), for sizing the topic.</summary>
    public const int EstimatedEventBytes = 720;

    public static int PartitionsFor(int events, int requested) =>
        (int)Math.Max(requested, ((long)events * EstimatedEventBytes + BytesPerPartition - 1) / BytesPerPartition);

    public static ProducedTopic Produce(MockCluster cluster, string topic, int partitions, OrderWorkload workload, int events)
    {
        var json = new OrderEventJson();
        return Produce(cluster, topic, partitions, workload, events, change => new Message<byte[], byte[]> { Key = OrderEventJson.Key(change.Row.Id), Value = json.Value(change) });
    }

    /// <summary>As <see cref="Produce(MockCluster, string, int, OrderWorkload, int)"/>, each change written by <paramref name="encode"/>.</summary>
    public static ProducedTopic Produce(MockCluster cluster, string topic, int partitions, OrderWorkload workload, int events, Func<OrderChange, Message<byte[], byte[]>> encode)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(encode);
        cluster.CreateTopic(topic, partitions);
        var config = Config(cluster.BootstrapServers);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        long bytes = 0;
        long failed = 0;
        string? firstError = null;
        using (var producer = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            void OnDelivery(DeliveryReport<byte[], byte[]> report)
            {
                if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
                {
                    firstError = report.Error.Reason;
                }
            }

            foreach (var change in workload.Generate(events))
            {
                bytes += Send(producer, topic, encode(change), OnDelivery);
            }

            while (producer.Flush(TimeSpan.FromSeconds(5)) > 0)
            {
                if (Interlocked.Read(ref failed) > 0)
                {
                    break;
                }
            }
        }

        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} of {events} events were not delivered to {topic}: {firstError}");
        }

        Verify(cluster.BootstrapServers, topic, partitions, events);
        return new ProducedTopic(topic, partitions, events, bytes, seconds, workload.Creates, workload.Updates, workload.Deletes);
    }

    /// <summary>The producer the workload is written with: idempotent, all acks, batched, uncompressed.</summary>
    /// <param name="lingerMs">How long a batch waits for more messages: 20 for throughput, a few ms for latency.</param>
    public static ProducerConfig Config(string bootstrapServers, int lingerMs = 20) => new()
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = lingerMs,
        BatchNumMessages = 10_000,
        BatchSize = 1_000_000,
        CompressionType = CompressionType.None,
        QueueBufferingMaxMessages = 1_000_000,
        QueueBufferingMaxKbytes = 1_048_576,
        MessageTimeoutMs = 120_000,
    };

    /// <summary>Hands one change to <paramref name="producer"/>, keyed by order id, waiting while its queue is full.</summary>
    /// <returns>The message's key and value bytes.</returns>
    public static int Send(IProducer<byte[], byte[]> producer, string topic, OrderEventJson json, OrderChange change, Action<DeliveryReport<byte[], byte[]>> onDelivery)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(json);
        return Send(producer, topic, new Message<byte[], byte[]> { Key = OrderEventJson.Key(change.Row.Id), Value = json.Value(change) }, onDelivery);
    }

    private static int Send(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivery);
                return message.Key.Length + message.Value.Length;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>Fails loudly unless the topic holds exactly <paramref name="events"/> messages, all from offset 0.</summary>
    private static void Verify(string bootstrapServers, string topic, int partitions, long events)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"bench-verify-{Guid.NewGuid():N}", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        long total = 0;
        var trimmed = new List<string>();
        for (var p = 0; p < partitions; p++)
        {
            var w = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10));
            total += w.High.Value - w.Low.Value;
            if (w.Low.Value != 0)
            {
                trimmed.Add($"[{p}] starts at {w.Low.Value}");
            }
        }

        if (total != events || trimmed.Count > 0)
        {
            throw new InvalidOperationException(
                $"the mock cluster kept {total} of {events} events in {topic} ({partitions} partitions){(trimmed.Count > 0 ? "; retention dropped the oldest: " + string.Join(", ", trimmed.Take(5)) : "")}: use more --partitions");
        }
    }
}
