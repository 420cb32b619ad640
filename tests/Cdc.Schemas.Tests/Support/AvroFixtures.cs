using Cdc.Schemas.Avro;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Support;

/// <summary>
/// Turns a golden JSON fixture (with schemas) into the Avro records AvroConverter would have written for the same
/// changes: the Connect schemas come from the fixture, the values from the JSON decoder.
/// </summary>
internal static class AvroFixtures
{
    public static async Task<IReadOnlyList<ConvertedRecord>> ConvertAsync(GoldenFixture fixture, DebeziumAvroEncoder encoder)
    {
        var decoder = new DebeziumJsonDecoder();
        var result = new List<ConvertedRecord>();
        foreach (var record in fixture.Records)
        {
            var json = decoder.Decode(fixture.Topic, record.Key, record.Value);
            var keySchema = FixtureSchemas.Of(record.Key);
            var valueSchema = FixtureSchemas.Of(record.Value);
            var (key, value) = await encoder.EncodeAsync(fixture.Topic, keySchema, valueSchema!, json);
            result.Add(new ConvertedRecord(record.Description, json, key, value));
        }

        return result;
    }
}
