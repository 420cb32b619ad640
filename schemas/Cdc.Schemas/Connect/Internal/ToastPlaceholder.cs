using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// Recognises the forms Debezium gives an unchanged TOASTed column (<c>UnchangedToastedPlaceholder</c>,
/// <c>UnchangedToastedReplicationMessageColumn</c>) with the default <c>unavailable.value.placeholder</c>.
/// Only whole column values are tested: an array element or map entry equal to the text is data.
/// </summary>
internal static class ToastPlaceholder
{
    /// <summary>The placeholder text, <see cref="Unavailable.Placeholder"/>, as UTF-8.</summary>
    public static ReadOnlySpan<byte> Text => "__debezium_unavailable_value"u8;

    /// <summary>The placeholder bytes in base64, as JsonConverter writes a <c>bytes</c> value.</summary>
    public static ReadOnlySpan<byte> Base64 => "X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ=="u8;

    /// <summary><c>UUID.nameUUIDFromBytes(placeholder)</c> (a type-3 UUID), the <c>uuid[]</c> placeholder element.</summary>
    public static ReadOnlySpan<byte> Uuid => "b68a35a7-17ad-35b3-af2a-ae46edb4545a"u8;

    /// <summary>An hstore column in the default <c>hstore.handling.mode=json</c>: the map {placeholder: placeholder} as JSON text.</summary>
    public static ReadOnlySpan<byte> HstoreJson => "{\"__debezium_unavailable_value\":\"__debezium_unavailable_value\"}"u8;

    public static bool IsText(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && element.ValueEquals(Text);

    /// <summary>
    /// Array forms: text-like arrays <c>[placeholder]</c>, <c>bytea[]</c> <c>[placeholder bytes]</c>,
    /// <c>uuid[]</c> <c>[nameUUIDFromBytes]</c>, and numeric arrays (<c>integer[]</c>, <c>bigint[]</c>,
    /// <c>date[]</c>; other numeric element types in open PR #7815) holding one element per placeholder byte.
    /// </summary>
    public static bool IsArray(JsonElement array, ConnectSchema items)
    {
        var length = array.GetArrayLength();
        switch (items.Type)
        {
            case ConnectType.String when length == 1:
                var text = array[0];
                return text.ValueKind == JsonValueKind.String &&
                       (text.ValueEquals(Text) || (items.Name == ConnectLogicalNames.Uuid && text.ValueEquals(Uuid)));
            case ConnectType.Bytes when length == 1 && items.Name is null:
                var bytes = array[0];
                return bytes.ValueKind == JsonValueKind.String && bytes.ValueEquals(Base64);
            case ConnectType.Int8 or ConnectType.Int16 or ConnectType.Int32 or ConnectType.Int64
                or ConnectType.Float32 or ConnectType.Float64 when length == Text.Length:
                return IsPlaceholderByteValues(array);
            default:
                return false;
        }
    }

    /// <summary>hstore in <c>hstore.handling.mode=map</c>: {placeholder: placeholder}, as an object or as [[k, v]].</summary>
    public static bool IsMap(JsonElement map)
    {
        if (map.ValueKind == JsonValueKind.Object)
        {
            var count = 0;
            foreach (var property in map.EnumerateObject())
            {
                if (++count > 1 || !property.NameEquals(Text) || !IsText(property.Value))
                {
                    return false;
                }
            }

            return count == 1;
        }

        if (map.ValueKind != JsonValueKind.Array || map.GetArrayLength() != 1)
        {
            return false;
        }

        var pair = map[0];
        return pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && IsText(pair[0]) && IsText(pair[1]);
    }

    private static bool IsPlaceholderByteValues(JsonElement array)
    {
        var expected = Text;
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || number != expected[i])
            {
                return false;
            }

            i++;
        }

        return true;
    }
}
