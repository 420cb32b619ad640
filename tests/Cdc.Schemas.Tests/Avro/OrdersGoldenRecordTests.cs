using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>
/// A whole Debezium record, byte by byte: the key and the Envelope of <c>c</c> for orders(1, 'new', 1), as
/// AvroConverter frames them with schema ids 1 (key) and 2 (value). Each line below is one field, checked by hand.
/// </summary>
public class OrdersGoldenRecordTests
{
    private const string Key = "00" + "00000001" + "02"; // magic, id 1, id: long 1

    private static readonly string Value = string.Concat(
        "00", "00000002",                      // magic, schema id 2
        "00",                                  // before: null
        "02",                                  // after: the Value branch
        "02",                                  //   id: 1
        "02", "06", Hex("new"),                //   status: "new"
        "02", "02",                            //   qty: 1
        "16", Hex("3.1.3.Final"),              // source.version (11 bytes)
        "14", Hex("postgresql"),               // source.connector
        "08", Hex("shop"),                     // source.name
        "80A0ABFEF962",                        // source.ts_ms 1700000000000
        "00", "0A", Hex("false"),              // source.snapshot: [Enum, null], value branch first
        "08", Hex("shop"),                     // source.db
        "02", "18", Hex("[\"90\",\"100\"]"),   // source.sequence (12 bytes)
        "00", "00",                            // source.ts_us, ts_ns: null
        "0C", Hex("public"),                   // source.schema
        "0C", Hex("orders"),                   // source.table
        "02", "F80A",                          // source.txId 700
        "02", "C801",                          // source.lsn 100
        "00",                                  // source.xmin: null
        "00",                                  // transaction: null
        "02", Hex("c"),                        // op
        "02", "C8A1ABFEF962",                  // ts_ms 1700000000100
        "00", "00");                           // ts_us, ts_ns: null

    [Fact]
    public void Serialize_OrdersCreate_GoldenKeyAndValue()
    {
        var record = OrdersAvro.Upsert(1, "new", 1, lsn: 100);

        Assert.Equal(Key, Convert.ToHexString(DebeziumAvroEncoder.Serialize(1, OrdersAvro.Key, record.Key!)));
        var envelope = OrdersAvro.Envelope(withNote: false);
        Assert.Equal(Value, Convert.ToHexString(DebeziumAvroEncoder.Serialize(2, envelope, EnvelopeRow(record.Event!, envelope))));
    }

    [Fact]
    public async Task Decode_GoldenBytes_TheOrdersCreate()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        var encoder = new DebeziumAvroEncoder(new Cdc.Schemas.Registry.ConfluentSchemaRegistry(registry.Url));
        Assert.Equal(1, registry.Register("shop.public.orders-key", encoder.AvroSchemaOf(OrdersAvro.Key)));
        Assert.Equal(2, registry.Register("shop.public.orders-value", encoder.AvroSchemaOf(OrdersAvro.Envelope(withNote: false))));
        using var client = new Cdc.Schemas.Registry.ConfluentSchemaRegistry(registry.Url);

        var decoded = await new DebeziumAvroDecoder(client).DecodeAsync(OrdersAvro.Topic, Convert.FromHexString(Key), Convert.FromHexString(Value));

        ChangeRecordAssert.Equal(OrdersAvro.Upsert(1, "new", 1, lsn: 100), decoded, "golden");
    }

    private static RowImage EnvelopeRow(ChangeEvent change, Cdc.Schemas.Connect.ConnectSchema envelope) =>
        Cdc.Schemas.Model.Internal.EnvelopeRow.ToRow(change, envelope);

    private static string Hex(string text) => Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(text));
}
