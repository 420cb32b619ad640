using System.Text.Json.Nodes;
using AvroSchema = global::Avro.Schema;

namespace Cdc.Schemas.Avro;

/// <summary>
/// Parses a writer schema as Java Avro (the registry's, the producer's) accepts it. Java ignores a logical type it
/// finds invalid (<c>LogicalTypes.fromSchemaIgnoreInvalid</c>): a Debezium Decimal for <c>numeric(2,5)</c> has scale
/// above precision, and AvroData writes it so. Apache.Avro for .NET rejects such schemas, so every
/// <c>logicalType</c> is renamed to <see cref="LogicalTypeProperty"/> before parsing and read back from there.
/// </summary>
public static class LenientAvroSchema
{
    public const string LogicalTypeProperty = "cdc.logicalType";

    public static AvroSchema Parse(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new global::Avro.SchemaParseException("empty schema");
        Rename(root);
        return AvroSchema.Parse(root.ToJsonString());
    }

    private static void Rename(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue("logicalType", out var logical))
                {
                    obj.Remove("logicalType");
                    obj[LogicalTypeProperty] = logical;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        Rename(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Rename(child);
                    }
                }

                break;
            default:
                break;
        }
    }
}
