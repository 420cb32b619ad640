using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Registry;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Support;

/// <summary>
/// Produces, as Debezium's AvroConverter would, the same <c>orders(id, status, qty)</c> changes
/// <see cref="DebeziumText"/> writes as JSON: same keys, rows, op codes and source sequence.
/// </summary>
internal sealed class AvroOrders(KafkaFixture kafka, string topic, string registryUrl) : IDisposable
{
    private static readonly ConnectSchema Id = new() { Type = ConnectType.Int64, Optional = false };
    private static readonly ConnectSchema Status = new() { Type = ConnectType.String };
    private static readonly ConnectSchema Qty = new() { Type = ConnectType.Int32 };

    private readonly IProducer<byte[], byte[]?> _producer = new ProducerBuilder<byte[], byte[]?>(kafka.ProducerConfig()).Build();
    private readonly ConfluentSchemaRegistry _registry = new(registryUrl);
    private readonly ConnectSchema _key = DebeziumConnectSchemas.Key(topic, [new ConnectField("id", Id)]);
    private readonly ConnectSchema _envelope = DebeziumConnectSchemas.Envelope(topic, DebeziumConnectSchemas.Row(
        topic, [new ConnectField("id", Id), new ConnectField("status", Status), new ConnectField("qty", Qty)]));

    /// <param name="op">'c', 'u' or 'd'.</param>
    /// <param name="version">Commit order, as in <see cref="DebeziumText.Change"/>.</param>
    public async Task ChangeAsync(char op, long id, long version, string? status = null, int qty = 0)
    {
        var key = new RowImage([new Column("id", id, Id)]);
        var row = new RowImage([new Column("id", id, Id), new Column("status", status, Status), new Column("qty", qty, Qty)]);
        var change = new ChangeEvent
        {
            Operation = op switch { 'c' => ChangeOperation.Create, 'u' => ChangeOperation.Update, _ => ChangeOperation.Delete },
            Before = op == 'd' ? key : null,
            After = op == 'd' ? null : row,
            Source = new SourceInfo
            {
                Version = "3.0.7.Final",
                Connector = "postgresql",
                Name = "shop",
                TsMs = 1_700_000_000_000,
                Db = "shop",
                Sequence = $"[\"{version * 10}\",\"{(version * 10) + 1}\"]",
                Schema = "public",
                Table = "orders",
                TxId = version,
                Lsn = (version * 10) + 1,
            },
            TsMs = 1_700_000_000_001,
        };
        await SendAsync(new ChangeRecord(key, change));
        if (op == 'd')
        {
            await SendAsync(new ChangeRecord(key, null));
        }
    }

    public void Flush() => _producer.Flush(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _producer.Dispose();
        _registry.Dispose();
    }

    private async Task SendAsync(ChangeRecord record)
    {
        var (key, value) = await new DebeziumAvroEncoder(_registry).EncodeAsync(topic, _key, _envelope, record);
        _producer.Produce(topic, new Message<byte[], byte[]?> { Key = key!, Value = value });
    }
}
