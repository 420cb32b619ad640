using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Cdc.Schemas.Connect.Internal;

/// <summary>Allocation-free access to JSON tokens where possible.</summary>
internal static class JsonText
{
    /// <summary>The unescaped UTF-8 content of a JSON string (the raw bytes unless the string has escapes).</summary>
    public static ReadOnlySpan<byte> StringUtf8(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var inner = raw[1..^1];
        return inner.IndexOf((byte)'\\') < 0 ? inner : Encoding.UTF8.GetBytes(element.GetString()!);
    }

    /// <summary>The raw text of a JSON number.</summary>
    public static ReadOnlySpan<byte> NumberUtf8(JsonElement element) => JsonMarshal.GetRawUtf8Value(element);

    public static string Kind(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
}
