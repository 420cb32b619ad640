using System.Globalization;
using System.Numerics;
using Cdc.DevKit;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Registry;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// The same change events as <see cref="OrderEventJson"/>, written as Debezium's AvroConverter writes them: the
/// <see cref="ChangeEvent"/> each JSON text means (same before/after images, source block, op and times), with the
/// value schema carrying the real column types (id int64, status string, qty int32, amount Decimal(12,2),
/// updated_at io.debezium.time.ZonedTimestamp, note string; the schemas of schemas/avro/shop.public.orders-*.avsc),
/// framed in Confluent's wire format with the ids the Schema Registry gave when <see cref="RegisterAsync"/>
/// registered both schemas under TopicNameStrategy subjects, as <see cref="DebeziumAvroEncoder"/> does.
/// </summary>
public sealed class OrderEventAvro
{

    private readonly ConnectSchema _key;
    private readonly ConnectSchema _envelope;
    private readonly ConnectSchema _source;
    private readonly int _keyId;
    private readonly int _valueId;

    private OrderEventAvro(ConnectSchema key, ConnectSchema envelope, int keyId, int valueId, string keyAvro, string valueAvro)
    {
        KeyAvro = keyAvro;
        ValueAvro = valueAvro;
        _key = key;
        _envelope = envelope;
        _source = envelope.Fields.Single(f => f.Name == "source").Schema;
        _keyId = keyId;
        _valueId = valueId;
    }

    /// <summary>The Avro schema text registered under <c>&lt;topic&gt;-key</c>.</summary>
    public string KeyAvro { get; }

    /// <summary>The Avro schema text registered under <c>&lt;topic&gt;-value</c>.</summary>
    public string ValueAvro { get; }

    public int KeySchemaId => _keyId;

    public int ValueSchemaId => _valueId;

    /// <summary>Registers the key and value schemas under <c>&lt;topic&gt;-key</c> / <c>&lt;topic&gt;-value</c>.</summary>
    public static async Task<OrderEventAvro> RegisterAsync(ISchemaRegistry registry, string topic, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var encoder = new DebeziumAvroEncoder(registry);
        var key = DemoOrdersSchema.Key(topic);
        var envelope = DemoOrdersSchema.Envelope(topic);
        var keyAvro = encoder.AvroSchemaOf(key);
        var valueAvro = encoder.AvroSchemaOf(envelope);
        var keyId = await registry.RegisterSchemaAsync(TopicNameStrategy.KeySubject(topic), keyAvro, ct);
        var valueId = await registry.RegisterSchemaAsync(TopicNameStrategy.ValueSubject(topic), valueAvro, ct);
        return new OrderEventAvro(key, envelope, keyId, valueId, keyAvro, valueAvro);
    }

    public byte[] Key(long id) => DebeziumAvroEncoder.Serialize(_keyId, _key, new RowImage([new Column("id", id, null)]));

    public byte[] Value(OrderChange change) => DebeziumAvroEncoder.Serialize(_valueId, _envelope, Envelope(change));

    private RowImage Envelope(OrderChange change)
    {
        var row = change.Row;
        var position = OrderEventJson.PositionOf(change);
        var processedMs = OrderEventJson.ProcessedMs(change);
        RowImage? before = null;
        RowImage? after = null;
        if (change.Op == 'd')
        {
            // REPLICA IDENTITY DEFAULT: a delete's before image has only the key set.
            before = new RowImage([
                new Column("id", row.Id, null), new Column("status", null, null), new Column("qty", null, null),
                new Column("amount", null, null), new Column("updated_at", null, null), new Column("note", null, null)]);
        }
        else
        {
            after = new RowImage([
                new Column("id", row.Id, null),
                new Column("status", row.Status, null),
                new Column("qty", row.Qty, null),
                new Column("amount", new BigInteger(row.AmountCents).ToByteArray(isUnsigned: false, isBigEndian: true), null),
                new Column("updated_at", OrderEventJson.IsoTimestamp(row.UpdatedAtMicros), null),
                new Column("note", row.Note, null),
            ]);
        }

        var source = new RowImage(_source.Fields.Select(f => new Column(f.Name, f.Name switch
        {
            "version" => "3.0.7.Final",
            "connector" => "postgresql",
            "name" => "shop",
            "ts_ms" => position.CommitTsMs,
            "snapshot" => "false",
            "db" => "shop",
            "sequence" => string.Create(CultureInfo.InvariantCulture, $"[\"{position.PreviousCommitLsn}\",\"{position.Lsn}\"]"),
            "ts_us" => position.CommitTsMs * 1_000,
            "ts_ns" => position.CommitTsMs * 1_000_000,
            "schema" => OrderEventJson.Schema,
            "table" => OrderEventJson.Table,
            "txId" => position.TxId,
            "lsn" => position.Lsn,
            _ => (object?)null,
        }, null)));
        return new RowImage(_envelope.Fields.Select(f => new Column(f.Name, f.Name switch
        {
            "before" => before,
            "after" => after,
            "source" => source,
            "op" => change.Op.ToString(),
            "ts_ms" => processedMs,
            "ts_us" => processedMs * 1_000,
            "ts_ns" => processedMs * 1_000_000,
            _ => (object?)null,
        }, null)));
    }
}
