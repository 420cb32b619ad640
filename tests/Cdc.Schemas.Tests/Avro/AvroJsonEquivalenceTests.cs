using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>
/// The same changes through JsonConverter and through AvroConverter decode to equal records: every golden
/// fixture with schemas is re-encoded as Avro (Confluent framing, schemas registered in the embedded registry)
/// and decoded by <see cref="DebeziumAvroDecoder"/>.
/// </summary>
public sealed class AvroJsonEquivalenceTests : IAsyncLifetime
{
    private EmbeddedSchemaRegistry _registry = null!;
    private ConfluentSchemaRegistry _client = null!;

    public static TheoryData<string> SchemaFixtures() => [.. GoldenFixture.AllNames().Where(n => n.EndsWith(".schema.json", StringComparison.Ordinal))];

    public async Task InitializeAsync()
    {
        _registry = await EmbeddedSchemaRegistry.StartAsync();
        _client = new ConfluentSchemaRegistry(_registry.Url);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(SchemaFixtures))]
    public async Task Decode_FixtureAsAvro_EqualsJsonDecoding(string name)
    {
        var fixture = GoldenFixture.Load(name);
        var converted = await AvroFixtures.ConvertAsync(fixture, new DebeziumAvroEncoder(_client));
        var decoder = new DebeziumAvroDecoder(new ConfluentSchemaRegistry(_registry.Url));

        foreach (var record in converted)
        {
            var avro = await decoder.DecodeAsync(fixture.Topic, record.Key, record.Value);
            ChangeRecordAssert.Equal(record.Json, avro, $"{name}: {record.Description}");
        }
    }

    [Fact]
    public async Task Decode_AllTypesEvent_EqualsJsonDecodingValueForValue()
    {
        var fixture = GoldenFixture.Load("all-types.schema.json");
        var converted = await AvroFixtures.ConvertAsync(fixture, new DebeziumAvroEncoder(_client));
        var decoder = new DebeziumAvroDecoder(_client);

        Assert.Equal(3, converted.Count);
        foreach (var record in converted)
        {
            var avro = await decoder.DecodeAsync(fixture.Topic, record.Key, record.Value);
            Assert.Equal(record.Json.Event!.After!.Count, avro.Event!.After!.Count);
            ChangeRecordAssert.Equal(record.Json, avro, record.Description);
        }
    }
}
