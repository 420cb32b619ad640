using System.Globalization;
using System.Text;
using Cdc.DevKit.Kafka;
using Confluent.Kafka;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// The workload as the connector writes it with transaction metadata: changes grouped into source transactions of
/// <c>size</c> events (the last may be shorter), each change carrying its <c>transaction</c> block and the transaction's
/// position (one commit LSN and time, <c>source.sequence[0]</c> the previous transaction's commit), and a BEGIN and an
/// END record per transaction on <c>&lt;prefix&gt;.transaction</c> (one partition; END with <c>event_count</c> and the
/// per-table count), so the sink tracks them and <c>--consistency transaction</c> can complete them.
/// </summary>
public static class TransactionalWorkload
{
    private const long FirstXid = 1_000;

    public static string TransactionTopic(string topic) => $"{topic[..topic.IndexOf('.', StringComparison.Ordinal)]}.transaction";

    /// <summary>Produces the changes into <paramref name="topic"/> and the BEGIN/END records into its transaction topic.</summary>
    public static ProducedTopic Produce(MockCluster cluster, string topic, int partitions, OrderWorkload workload, int events, int size)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var json = new OrderEventJson();
        var produced = WorkloadProducer.Produce(cluster, topic, partitions, workload, events, change =>
        {
            var placed = Place(change, events, size);
            return new Message<byte[], byte[]> { Key = OrderEventJson.Key(change.Row.Id), Value = json.Value(placed) };
        });
        ProduceMetadata(cluster, TransactionTopic(topic), events, size);
        return produced;
    }

    private static OrderChange Place(OrderChange change, int events, int size)
    {
        var (t, first, last) = Span(change.Version, events, size);
        return change with
        {
            Position = new SourcePosition(FirstXid + t, t == 0 ? 0 : CommitLsn(first - 1), (change.Version * 10) + 1, OrderEventJson.BaseTsMs + last),
            Transaction = new TransactionRef(Id(t, last), change.Version - first + 1),
        };
    }

    /// <summary>The transaction holding <paramref name="version"/>: its index, first and last version.</summary>
    private static (long Index, long First, long Last) Span(long version, int events, int size)
    {
        var index = (version - 1) / size;
        var first = (index * size) + 1;
        return (index, first, Math.Min(first + size - 1, events));
    }

    private static long CommitLsn(long lastVersion) => (lastVersion * 10) + 5;

    private static string Id(long index, long last) => string.Create(CultureInfo.InvariantCulture, $"{FirstXid + index}:{CommitLsn(last)}");

    private static void ProduceMetadata(MockCluster cluster, string topic, int events, int size)
    {
        cluster.CreateTopic(topic, 1);
        using var producer = new ProducerBuilder<byte[], byte[]>(WorkloadProducer.Config(cluster.BootstrapServers)).Build();
        for (long first = 1; first <= events; first += size)
        {
            var (index, _, last) = Span(first, events, size);
            var ts = OrderEventJson.BaseTsMs + last;
            Send(producer, topic, string.Create(CultureInfo.InvariantCulture, $"{FirstXid + index}:{(first * 10) + 1}"), $"\"BEGIN\",\"event_count\":null,\"data_collections\":null,\"ts_ms\":{ts}");
            Send(producer, topic, Id(index, last), string.Create(CultureInfo.InvariantCulture,
                $"\"END\",\"event_count\":{last - first + 1},\"data_collections\":[{{\"data_collection\":\"public.orders\",\"event_count\":{last - first + 1}}}],\"ts_ms\":{ts}"));
        }

        if (producer.Flush(TimeSpan.FromSeconds(60)) > 0)
        {
            throw new InvalidOperationException($"the BEGIN/END records were not all delivered to {topic}");
        }
    }

    private static void Send(IProducer<byte[], byte[]> producer, string topic, string id, string rest)
    {
        var key = Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}");
        var value = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"status\":{rest.Split(',')[0]},\"id\":\"{id}\",{rest[(rest.IndexOf(',', StringComparison.Ordinal) + 1)..]}}}"));
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = value });
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
