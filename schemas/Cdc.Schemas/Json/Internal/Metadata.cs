using System.Globalization;
using System.Text.Json;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// Typed reads of envelope metadata (<c>source</c>, <c>transaction</c>, timestamps). Integers also accept
/// numeric strings, as in the Debezium docs' transaction example; wrong kinds throw naming the field.
/// </summary>
internal static class Metadata
{
    public static string? String(JsonElement value, string field) =>
        value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => value.GetString(),
            _ => throw Wrong(field, "a string", value),
        };

    public static long? Int64(JsonElement value, string field)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                return number;
            case JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw Wrong(field, "an int64", value);
        }
    }

    public static long RequiredInt64(JsonElement parent, string field) =>
        parent.TryGetProperty(field, out var value) && Int64(value, field) is { } number
            ? number
            : throw Missing(field, "an int64");

    public static ValueDecodeError Wrong(string field, string expected, JsonElement actual)
    {
        var error = new ValueDecodeError($"expected {expected}, got {JsonText.Kind(actual)}");
        error.PushField(field);
        return error;
    }

    public static ValueDecodeError Missing(string field, string expected)
    {
        var error = new ValueDecodeError($"missing {expected}");
        error.PushField(field);
        return error;
    }
}
