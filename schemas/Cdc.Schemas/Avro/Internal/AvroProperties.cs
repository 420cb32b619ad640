using System.Globalization;
using System.Text.Json;
using AvroSchema = global::Avro.Schema;
using LogicalSchema = global::Avro.LogicalSchema;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>Reads the custom properties AvroData puts on Avro schemas (<c>connect.name</c>, <c>connect.parameters</c>...).</summary>
internal static class AvroProperties
{
    public const string ConnectName = "connect.name";
    public const string ConnectVersion = "connect.version";
    public const string ConnectParameters = "connect.parameters";
    public const string ConnectType = "connect.type";
    public const string ConnectDefault = "connect.default";
    public const string ConnectDoc = "connect.doc";

    /// <summary>The property's JSON, looked up on a logical schema and on its base schema.</summary>
    public static JsonElement? Get(AvroSchema schema, string name)
    {
        var text = schema.GetProperty(name) ?? (schema is LogicalSchema logical ? logical.BaseSchema.GetProperty(name) : null);
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string? String(AvroSchema schema, string name) =>
        Get(schema, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static int? Int(AvroSchema schema, string name) =>
        Get(schema, name) switch
        {
            { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var n) => n,
            { ValueKind: JsonValueKind.String } text when int.TryParse(text.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };

    public static Dictionary<string, string>? Parameters(AvroSchema schema)
    {
        if (Get(schema, ConnectParameters) is not { ValueKind: JsonValueKind.Object } parameters)
        {
            return null;
        }

        var result = new Dictionary<string, string>();
        foreach (var property in parameters.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return result;
    }

    /// <summary>The Avro logical type, from a parsed logical schema or as <see cref="LenientAvroSchema"/> keeps it.</summary>
    public static string? LogicalType(AvroSchema schema) =>
        schema is LogicalSchema logical ? logical.LogicalTypeName : String(schema, LenientAvroSchema.LogicalTypeProperty) ?? String(schema, "logicalType");
}
