using System.Text.Json;
using System.Text.Json.Nodes;
using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Json;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Transactions;

namespace Cdc.Schemas.Tests.Transactions;

/// <summary>The transaction topic's BEGIN and END records against the examples of Debezium's PostgreSQL documentation.</summary>
public sealed class TransactionMetadataFormatTests
{
    private static readonly JsonObject Fixture = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Transactions", "debezium-begin-end.noschema.json")))!;

    [Fact]
    public void Begin_and_end_without_schemas_equal_Debezium_documentation_examples()
    {
        var encoder = new DebeziumJsonEncoder(new DebeziumJsonEncoderOptions { SchemasEnable = false });
        var begin = TransactionMetadata.Begin(571, 53195829, 1486500577125);
        var end = TransactionMetadata.End(571, 53195832, 1486500577691, [("s1.a", 1), ("s2.a", 1)]);

        AssertSameJson(Fixture["begin"]!, encoder.EncodeStruct(DebeziumConnectSchemas.TransactionValue, begin.ToRow()));
        AssertSameJson(Fixture["end"]!, encoder.EncodeStruct(DebeziumConnectSchemas.TransactionValue, end.ToRow()));
        Assert.Equal("""{"id":"571:53195832"}""", System.Text.Encoding.UTF8.GetString(encoder.EncodeStruct(DebeziumConnectSchemas.TransactionKey, TransactionMetadata.KeyRow(end.Id))));
    }

    [Fact]
    public void Value_fields_are_in_Debezium_schema_order_with_its_schema_names()
    {
        var encoder = new DebeziumJsonEncoder(new DebeziumJsonEncoderOptions { SchemasEnable = true });
        var end = TransactionMetadata.End(571, 53195832, 1486500577691, [("s1.a", 1)]);
        using var json = JsonDocument.Parse(encoder.EncodeStruct(DebeziumConnectSchemas.TransactionValue, end.ToRow()));
        var schema = json.RootElement.GetProperty("schema");

        Assert.Equal("io.debezium.connector.common.TransactionMetadataValue", schema.GetProperty("name").GetString());
        Assert.Equal(["status", "id", "event_count", "data_collections", "ts_ms"], schema.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()));
        Assert.Equal(["status", "id", "event_count", "data_collections", "ts_ms"], json.RootElement.GetProperty("payload").EnumerateObject().Select(p => p.Name));
        var collections = schema.GetProperty("fields")[3];
        Assert.Equal("event.collection", collections.GetProperty("items").GetProperty("name").GetString());
        Assert.True(collections.GetProperty("optional").GetBoolean());
    }

    [Fact]
    public void End_lists_tables_in_Java_HashMap_order_as_Debezium_does()
    {
        // TransactionContext keeps per-table counts in a java.util.HashMap: iteration follows String.hashCode buckets
        // (16 of them for a few tables), not first use.
        var end = TransactionMetadata.End(1, 2, 3, [("public.orders", 3), ("public.order_items", 4), ("public.accounts", 1)]);

        Assert.Equal(8, end.EventCount);
        Assert.Equal(JavaOrder(["public.orders", "public.order_items", "public.accounts"]), end.DataCollections!.Select(c => c.DataCollection));
        Assert.Equal(4, end.DataCollections!.Single(c => c.DataCollection == "public.order_items").EventCount);
    }

    [Fact]
    public void Decoded_records_read_back_from_json_with_and_without_schemas()
    {
        var end = TransactionMetadata.End(571, 53195832, 1486500577691, [("s1.a", 1), ("s2.a", 1)]);
        foreach (var schemas in new[] { true, false })
        {
            var bytes = new DebeziumJsonEncoder(new DebeziumJsonEncoderOptions { SchemasEnable = schemas }).EncodeStruct(DebeziumConnectSchemas.TransactionValue, end.ToRow());
            var read = TransactionMetadata.FromRow(new DebeziumJsonDecoder().DecodeStruct("p.transaction", bytes));
            Assert.Equal(TransactionStatus.End, read.Status);
            Assert.Equal((571L, 53195832L), (read.Xid, read.Lsn));
            Assert.Equal(2, read.EventCount);
            Assert.Equal(end.DataCollections, read.DataCollections);
            Assert.Equal(1486500577691, read.TsMs);
        }
    }

    [Fact]
    public async Task Avro_records_register_Debezium_schema_names_and_read_back()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        using var client = new ConfluentSchemaRegistry(registry.Url);
        var encoder = new DebeziumAvroEncoder(client);
        var end = TransactionMetadata.End(9, 900, 1000, [("public.orders", 2)]);

        var value = await encoder.SerializeAsync("p.transaction", false, DebeziumConnectSchemas.TransactionValue, end.ToRow());
        var schema = encoder.AvroSchemaOf(DebeziumConnectSchemas.TransactionValue);
        var decoder = new DebeziumAvroDecoder(client);
        await decoder.PrepareAsync([value]);
        var read = TransactionMetadata.FromRow(decoder.DecodeStruct("p.transaction", value));

        Assert.Contains("\"name\":\"TransactionMetadataValue\"", schema, StringComparison.Ordinal);
        Assert.Contains("\"namespace\":\"io.debezium.connector.common\"", schema, StringComparison.Ordinal);
        Assert.Equal(end.Id, read.Id);
        Assert.Equal(end.DataCollections, read.DataCollections);
    }

    [Theory]
    [InlineData("571")]
    [InlineData("571:")]
    [InlineData("x:1")]
    [InlineData(":5")]
    public void Ids_other_than_txId_colon_LSN_are_refused(string id) =>
        Assert.Throws<EventDecodeException>(() => TransactionMetadata.ParseId(id));

    private static void AssertSameJson(JsonNode expected, byte[] actual) =>
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(actual)), $"expected {expected.ToJsonString()}\nactual   {System.Text.Encoding.UTF8.GetString(actual)}");

    private static IEnumerable<string> JavaOrder(string[] keys) =>
        keys.OrderBy(k => Spread(JavaHash(k)) & 15).ThenBy(k => Array.IndexOf(keys, k));

    private static int JavaHash(string s)
    {
        var h = 0;
        foreach (var c in s)
        {
            h = unchecked((31 * h) + c);
        }

        return h;
    }

    private static int Spread(int h) => h ^ (int)((uint)h >> 16);
}
