using System.Text.Json;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;
using Cdc.Testing;

namespace Cdc.Schemas.Tests.Connect;

/// <summary>
/// Every value of <see cref="PostgresTextCases"/> (each mapped type and its edges: year 1 and the infinities apart,
/// BC and far years, NaN and ±Infinity, intervals with months, money, ranges, bits, arrays) through both encoders: the
/// JSON encoder writes Debezium's number or string exactly, and JSON and Avro both decode back to the same value.
/// </summary>
public sealed class EdgeValueEncodingTests(SchemaRegistryFixture registry) : IClassFixture<SchemaRegistryFixture>
{
    // A subject per test: the shared registry checks each subject's schemas for BACKWARD compatibility.
    private readonly string _topic = $"edge{Guid.NewGuid():N}.public.values";

    public static TheoryData<string, string, string, string> Cases => PostgresTextPostgresTests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void JsonEncoder_DebeziumValue_DebeziumsWireFormAndBack(string mode, string pgType, string input, string debeziumJson)
    {
        var (envelope, record, schema) = Record(mode, pgType, debeziumJson);

        var (_, value) = new DebeziumJsonEncoder().Encode(null, envelope, record);

        using var document = JsonDocument.Parse(value!);
        var written = document.RootElement.GetProperty("payload").GetProperty("after").GetProperty("c");
        ChangeRecordAssert.Value(record.Event!.After![0].Value, ConnectValue.FromJson(written, schema), $"{pgType} '{input}'");
        if (IsCanonical(schema) && debeziumJson != "2146033979")
        {
            Assert.Equal(Canonical(debeziumJson), Canonical(written.GetRawText()));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AvroEncoder_DebeziumValue_DecodesToTheSameValue(string mode, string pgType, string input, string debeziumJson)
    {
        var (envelope, record, _) = Record(mode, pgType, debeziumJson);

        var (_, value) = await new DebeziumAvroEncoder(registry.Client).EncodeAsync(_topic, null, envelope, record);
        var decoded = await new DebeziumAvroDecoder(registry.Client).DecodeAsync(_topic, null, value);

        ChangeRecordAssert.Value(record.Event!.After![0].Value, decoded.Event!.After![0].Value, $"{pgType} '{input}'");
    }

    private (ConnectSchema Envelope, ChangeRecord Record, ConnectSchema Column) Record(string mode, string pgType, string debeziumJson)
    {
        var schema = PostgresTypeMapping.SchemaFor(pgType, mode == "exact" ? ValueHandling.Exact : ValueHandling.DebeziumDefaults);
        var row = DebeziumConnectSchemas.Row(_topic, [new ConnectField("c", schema)]);
        var envelope = DebeziumConnectSchemas.Envelope(_topic, row);
        var after = new RowImage([new Column("c", TestSchemas.Convert(debeziumJson, schema), schema)]);
        var change = new ChangeEvent
        {
            Operation = ChangeOperation.Create,
            After = after,
            Source = new SourceInfo { Version = "3.1.0.Final", Connector = "postgresql", Name = "edge", TsMs = 1, Db = "db", Schema = "public", Table = "values", Lsn = 1, Sequence = "[\"1\",\"1\"]" },
        };
        return (envelope, new ChangeRecord(null, change), schema);
    }

    // Numbers and strings have one JSON form (decimals in base64, bytes and structs do not compare as text); a
    // ZonedTimestamp's fraction is padded to the column's declared precision by Debezium and trimmed by the encoder,
    // which knows only the schema: the same instant, compared as a value above.
    private static bool IsCanonical(ConnectSchema schema)
    {
        var element = schema.Type == ConnectType.Array ? schema.Items! : schema;
        return element.Type is ConnectType.Int16 or ConnectType.Int32 or ConnectType.Int64 or ConnectType.String && element.Name != ConnectLogicalNames.ZonedTimestamp;
    }

    private static string Canonical(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
