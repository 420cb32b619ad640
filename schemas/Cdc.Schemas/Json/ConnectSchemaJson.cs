using System.Globalization;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Json;

/// <summary>
/// Reads the schema half of a JsonConverter message (<c>schemas.enable=true</c>), as apache/kafka's
/// <c>JsonSchema</c> writes it: <c>type</c>, <c>optional</c> (absent means required), <c>name</c>, <c>version</c>,
/// <c>parameters</c>, <c>default</c>, <c>field</c>, <c>fields</c>, <c>items</c>, <c>keys</c>, <c>values</c>.
/// <c>doc</c> and unknown attributes are ignored; type names are matched case-insensitively.
/// </summary>
public static class ConnectSchemaJson
{
    /// <exception cref="EventDecodeException">The JSON is not a Connect schema; the message gives the path.</exception>
    public static ConnectSchema Parse(JsonElement schema)
    {
        try
        {
            return ParseSchema(schema);
        }
        catch (ValueDecodeError error)
        {
            throw new EventDecodeException("schema: " + error.Describe(null), error);
        }
    }

    private static ConnectSchema ParseSchema(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ValueDecodeError($"expected a schema object, got {JsonText.Kind(json)}");
        }

        var type = ParseType(json);
        var schema = new ConnectSchema
        {
            Type = type,
            Name = OptionalString(json, "name"),
            Optional = json.TryGetProperty("optional"u8, out var optional) && optional.ValueKind == JsonValueKind.True,
            Version = OptionalInt(json, "version"),
            Parameters = ParseParameters(json),
            Fields = type == ConnectType.Struct ? ParseFields(json) : [],
            Items = type == ConnectType.Array ? Child(json, "items") : null,
            Keys = type == ConnectType.Map ? Child(json, "keys") : null,
            Values = type == ConnectType.Map ? Child(json, "values") : null,
        };

        if (!json.TryGetProperty("default"u8, out var defaultJson) || defaultJson.ValueKind == JsonValueKind.Null)
        {
            return schema;
        }

        try
        {
            return schema with { DefaultValue = JsonValueReader.Read(defaultJson, schema, column: false) };
        }
        catch (ValueDecodeError error)
        {
            error.PushField("default");
            throw;
        }
    }

    private static ConnectType ParseType(JsonElement json)
    {
        if (!json.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new ValueDecodeError("schema without a string 'type'");
        }

        return type.GetString()!.ToLowerInvariant() switch
        {
            "boolean" => ConnectType.Boolean,
            "int8" => ConnectType.Int8,
            "int16" => ConnectType.Int16,
            "int32" => ConnectType.Int32,
            "int64" => ConnectType.Int64,
            "float" or "float32" => ConnectType.Float32,
            "double" or "float64" => ConnectType.Float64,
            "bytes" => ConnectType.Bytes,
            "string" => ConnectType.String,
            "array" => ConnectType.Array,
            "map" => ConnectType.Map,
            "struct" => ConnectType.Struct,
            var unknown => throw new ValueDecodeError($"unknown schema type \"{unknown}\""),
        };
    }

    private static ConnectField[] ParseFields(JsonElement json)
    {
        if (!json.TryGetProperty("fields"u8, out var fields) || fields.ValueKind != JsonValueKind.Array)
        {
            throw new ValueDecodeError("struct schema without a 'fields' array");
        }

        var result = new ConnectField[fields.GetArrayLength()];
        var i = 0;
        foreach (var field in fields.EnumerateArray())
        {
            var name = field.ValueKind == JsonValueKind.Object ? OptionalString(field, "field") : null;
            if (name is null)
            {
                var error = new ValueDecodeError("struct field without a 'field' name");
                error.PushIndex(i);
                throw error;
            }

            try
            {
                result[i++] = new ConnectField(name, ParseSchema(field));
            }
            catch (ValueDecodeError error)
            {
                error.PushField(name);
                throw;
            }
        }

        return result;
    }

    private static ConnectSchema Child(JsonElement json, string property)
    {
        if (!json.TryGetProperty(property, out var child) || child.ValueKind != JsonValueKind.Object)
        {
            throw new ValueDecodeError($"schema without '{property}'");
        }

        try
        {
            return ParseSchema(child);
        }
        catch (ValueDecodeError error)
        {
            error.PushField(property);
            throw;
        }
    }

    private static IReadOnlyDictionary<string, string> ParseParameters(JsonElement json)
    {
        if (!json.TryGetProperty("parameters"u8, out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return ConnectSchema.NoParameters;
        }

        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw new ValueDecodeError($"'parameters' must be an object, got {JsonText.Kind(parameters)}");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters.EnumerateObject())
        {
            result[parameter.Name] = parameter.Value.ValueKind switch
            {
                JsonValueKind.String => parameter.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => parameter.Value.GetRawText(),
                _ => throw new ValueDecodeError($"parameter '{parameter.Name}' must be a string"),
            };
        }

        return result;
    }

    private static string? OptionalString(JsonElement json, string property) =>
        !json.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new ValueDecodeError($"'{property}' must be a string, got {JsonText.Kind(value)}");

    private static int? OptionalInt(JsonElement json, string property)
    {
        if (!json.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
            : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number) ? number
            : throw new ValueDecodeError($"'{property}' must be an int32, got {JsonText.Kind(value)}");
    }
}
