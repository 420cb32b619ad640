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
}
