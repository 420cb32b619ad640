using System.Text.Json;
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
            var keySchema = SchemaOf(record.Key);
            var valueSchema = SchemaOf(record.Value);
            var (key, value) = await encoder.EncodeAsync(fixture.Topic, keySchema, valueSchema!, json);
            result.Add(new ConvertedRecord(record.Description, json, key, value));
        }

        return result;
    }

    private static Cdc.Schemas.Connect.ConnectSchema? SchemaOf(byte[]? message)
    {
        if (message is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(message);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("schema", out var schema) &&
               schema.ValueKind == JsonValueKind.Object
            ? ConnectSchemaJson.Parse(schema)
            : null;
    }
}
