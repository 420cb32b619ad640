using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Support;

/// <summary>
/// Produces Debezium events for <c>orders(id, status, qty)</c> to a topic and tracks what the primary would hold,
/// so a test can compare the subsystem store with it row for row.
/// </summary>
internal sealed class OrdersModel(KafkaFixture kafka, string topic) : IDisposable
{
    public const string CreateTable = "CREATE TABLE public.orders (id bigint PRIMARY KEY, status varchar(20), qty int)";
    public const string SelectRows = "SELECT id, status, qty FROM public.orders ORDER BY id";

    private readonly IProducer<byte[], byte[]?> _producer = new ProducerBuilder<byte[], byte[]?>(kafka.ProducerConfig()).Build();
    private readonly SortedDictionary<long, (string Status, int Qty)> _rows = [];
    private long _version = 1;

    public int Produced { get; private set; }

    public IReadOnlyList<string> ExpectedRows => _rows.Select(r => $"{r.Key}|{r.Value.Status}|{r.Value.Qty}").ToList();

    public void Upsert(long id, string status, int qty = 1)
    {
        var op = _rows.ContainsKey(id) ? 'u' : 'c';
        _rows[id] = (status, qty);
        Send(DebeziumText.Key(id), DebeziumText.Change(op, id, _version++, status, qty));
    }

    public void Delete(long id)
    {
        _rows.Remove(id);
        Send(DebeziumText.Key(id), DebeziumText.Change('d', id, _version++));
        Send(DebeziumText.Key(id), null);
    }

    /// <summary>Sends a record outside the model (poison, duplicates).</summary>
    public void Send(byte[] key, byte[]? value)
    {
        _producer.Produce(topic, new Message<byte[], byte[]?> { Key = key, Value = value });
        Produced++;
    }

    public void Flush() => _producer.Flush(TimeSpan.FromSeconds(30));

    public void Dispose() => _producer.Dispose();
}
