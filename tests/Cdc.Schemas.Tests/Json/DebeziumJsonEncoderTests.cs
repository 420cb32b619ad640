using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Json;

public class DebeziumJsonEncoderTests
{
    public static TheoryData<string> SchemaFixtures => new(GoldenFixture.AllNames().Where(n => n.EndsWith(".schema.json", StringComparison.Ordinal)));

    public static TheoryData<string> SchemalessFixtures => new(GoldenFixture.AllNames().Where(n => n.EndsWith(".noschema.json", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(SchemaFixtures))]
    public void Encode_GoldenFixtureWithSchemas_SameRecordsAndEquivalentJson(string name)
    {
        var fixture = GoldenFixture.Load(name);
        var decoder = new DebeziumJsonDecoder();
        var encoder = new DebeziumJsonEncoder();
        ConnectSchema? envelope = null;
        for (var i = 0; i < fixture.Records.Count; i++)
        {
            var record = fixture[i];
            var where = $"{name}[{i}] {record.Description}";
            var decoded = decoder.Decode(fixture.Topic, record.Key, record.Value);
            envelope = FixtureSchemas.Of(record.Value) ?? envelope;

            var (key, value) = encoder.Encode(FixtureSchemas.Of(record.Key), envelope!, decoded);

            ChangeRecordAssert.Equal(decoded, decoder.Decode(fixture.Topic, key, value), where);
            JsonEquivalence.AssertEquivalent(record.Key, key, null, where + " key");
            JsonEquivalence.AssertEquivalent(record.Value, value, null, where + " value");
        }
    }

    [Theory]
    [MemberData(nameof(SchemalessFixtures))]
    public void Encode_GoldenFixtureWithoutSchemas_SameRecordsAndEquivalentJson(string name)
    {
        var fixture = GoldenFixture.Load(name);
        var typed = GoldenFixture.Load(name.Replace(".noschema.", ".schema.", StringComparison.Ordinal));
        Assert.Equal(fixture.Records.Count, typed.Records.Count);
        var decoder = new DebeziumJsonDecoder();
        var encoder = new DebeziumJsonEncoder(new DebeziumJsonEncoderOptions { SchemasEnable = false });
        ConnectSchema? envelope = null;
        for (var i = 0; i < fixture.Records.Count; i++)
        {
            var record = fixture[i];
            var where = $"{name}[{i}] {record.Description}";
            var decoded = decoder.Decode(fixture.Topic, record.Key, record.Value);
            var keySchema = FixtureSchemas.Of(typed[i].Key);
            envelope = FixtureSchemas.Of(typed[i].Value) ?? envelope;

            var (key, value) = encoder.Encode(keySchema, envelope!, decoded);

            ChangeRecordAssert.Equal(decoded, decoder.Decode(fixture.Topic, key, value), where);
            JsonEquivalence.AssertEquivalent(record.Key, key, keySchema, where + " key");
            JsonEquivalence.AssertEquivalent(record.Value, value, envelope, where + " value");
        }
    }

    [Theory]
    [InlineData("create.schema.json")]
    [InlineData("all-types.schema.json")]
    [InlineData("delete.schema.json")]
    public void Encode_SchemasFromDebeziumConnectSchemas_SameJsonAsDebezium(string name)
    {
        // What a source connector does: Key/Row/Envelope built from the column schemas, not parsed from Debezium.
        var fixture = GoldenFixture.Load(name);
        var records = fixture.Decode();
        var encoder = new DebeziumJsonEncoder();
        var firstRow = records[0].Event!.After ?? records[0].Event!.Before!;
        var envelope = DebeziumConnectSchemas.Envelope(fixture.Topic, DebeziumConnectSchemas.Row(fixture.Topic, Fields(firstRow)));
        for (var i = 0; i < records.Count; i++)
        {
            var keySchema = records[i].Key is { } key ? DebeziumConnectSchemas.Key(fixture.Topic, Fields(key)) : null;

            var (keyBytes, valueBytes) = encoder.Encode(keySchema, envelope, records[i]);

            JsonEquivalence.AssertEquivalent(fixture[i].Key, keyBytes, null, $"{name}[{i}] key");
            JsonEquivalence.AssertEquivalent(fixture[i].Value, valueBytes, null, $"{name}[{i}] value");
        }
    }

    [Fact]
    public void Encode_TombstoneAndKeylessRecord_NullValueAndNullKey()
    {
        var records = GoldenFixture.Load("delete.schema.json").Decode();
        var truncate = GoldenFixture.Load("truncate.schema.json").Decode()[0];
        var envelope = FixtureSchemas.Of(GoldenFixture.Load("delete.schema.json")[0].Value)!;
        var encoder = new DebeziumJsonEncoder();

        var tombstone = encoder.Encode(FixtureSchemas.Of(GoldenFixture.Load("delete.schema.json")[1].Key), envelope, records[1]);
        var keyless = encoder.Encode(null, envelope, truncate);

        Assert.True(records[1].IsTombstone);
        Assert.NotNull(tombstone.Key);
        Assert.Null(tombstone.Value);
        Assert.Null(keyless.Key);
        Assert.NotNull(keyless.Value);
    }

    [Fact]
    public void Encode_SchemasDisabled_PayloadOnly()
    {
        var fixture = GoldenFixture.Load("create.schema.json");
        var record = fixture.Decode()[0];
        var encoder = new DebeziumJsonEncoder(new DebeziumJsonEncoderOptions { SchemasEnable = false });

        var (key, value) = encoder.Encode(FixtureSchemas.Of(fixture[0].Key), FixtureSchemas.Of(fixture[0].Value)!, record);

        Assert.Equal("{\"id\":1}", System.Text.Encoding.UTF8.GetString(key!));
        using var payload = System.Text.Json.JsonDocument.Parse(value!);
        Assert.Equal(["before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"], payload.RootElement.EnumerateObject().Select(p => p.Name));
    }

    private static IEnumerable<ConnectField> Fields(RowImage row) => row.Select(c => new ConnectField(c.Name, c.Schema!));
}
