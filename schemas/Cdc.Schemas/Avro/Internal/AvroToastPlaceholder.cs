using System.Text;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// The Avro-side twin of the JSON path's ToastPlaceholder: the forms Debezium gives an unchanged TOASTed column,
/// tested on raw wire values (strings, bytes, numbers) before logical conversion.
/// </summary>
internal static class AvroToastPlaceholder
{
    public static readonly byte[] Bytes = Encoding.UTF8.GetBytes(Unavailable.Placeholder);

    /// <summary><c>UUID.nameUUIDFromBytes(placeholder)</c>.</summary>
    public const string Uuid = "b68a35a7-17ad-35b3-af2a-ae46edb4545a";

    public const string HstoreJson = "{\"__debezium_unavailable_value\":\"__debezium_unavailable_value\"}";

    public static bool IsArray(IReadOnlyList<object?> raw, ConnectSchema items)
    {
        switch (items.Type)
        {
            case ConnectType.String when raw.Count == 1:
                return raw[0] is string text && (text == Unavailable.Placeholder || (items.Name == ConnectLogicalNames.Uuid && text == Uuid));
            case ConnectType.Bytes when raw.Count == 1 && items.Name is null:
                return raw[0] is byte[] bytes && bytes.AsSpan().SequenceEqual(Bytes);
            case ConnectType.Int8 or ConnectType.Int16 or ConnectType.Int32 or ConnectType.Int64
                or ConnectType.Float32 or ConnectType.Float64 when raw.Count == Bytes.Length:
                for (var i = 0; i < raw.Count; i++)
                {
                    if (raw[i] is null || Convert.ToDouble(raw[i], System.Globalization.CultureInfo.InvariantCulture) != Bytes[i])
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    public static bool IsMap(IReadOnlyList<KeyValuePair<object?, object?>> entries) =>
        entries.Count == 1 && entries[0].Key is Unavailable.Placeholder && entries[0].Value is Unavailable.Placeholder;
}
