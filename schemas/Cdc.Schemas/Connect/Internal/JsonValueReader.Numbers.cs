using System.Text.Json;

namespace Cdc.Schemas.Connect.Internal;

internal static partial class JsonValueReader
{
    private static object ReadInt8(JsonElement element, ConnectSchema schema) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetSByte(out var value)
            ? (short)value
            : throw Mismatch(element, schema, "an integer in the int8 range");

    private static object ReadInt32(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value))
        {
            throw Mismatch(element, schema, "an integer in the int32 range");
        }

        return schema.Name switch
        {
            ConnectLogicalNames.Date or ConnectLogicalNames.ConnectDate => EpochTime.DateFromEpochDays(value),
            ConnectLogicalNames.Time or ConnectLogicalNames.ConnectTime => EpochTime.DurationFromMillis(value),
            _ => value,
        };
    }

    private static object ReadInt64(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw Mismatch(element, schema, "an integer in the int64 range");
        }

        return schema.Name switch
        {
            ConnectLogicalNames.MicroTimestamp => EpochTime.TimestampFromMicros(value),
            ConnectLogicalNames.Timestamp or ConnectLogicalNames.ConnectTimestamp => EpochTime.TimestampFromMillis(value),
            ConnectLogicalNames.NanoTimestamp => EpochTime.TimestampFromNanos(value),
            ConnectLogicalNames.MicroTime or ConnectLogicalNames.MicroDuration => EpochTime.DurationFromMicros(value),
            ConnectLogicalNames.NanoTime => EpochTime.DurationFromNanos(value),
            _ => value,
        };
    }

    private static object ReadFloat32(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out var value) && float.IsFinite(value))
        {
            return value;
        }

        return element.ValueKind == JsonValueKind.String && TrySpecialFloat(element, out var special)
            ? (float)special
            : throw Mismatch(element, schema, "a float32 number or \"NaN\"/\"Infinity\"/\"-Infinity\"");
    }

    private static object ReadFloat64(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        return element.ValueKind == JsonValueKind.String && TrySpecialFloat(element, out var special)
            ? special
            : throw Mismatch(element, schema, "a float64 number or \"NaN\"/\"Infinity\"/\"-Infinity\"");
    }

    // Jackson writes non-finite doubles as the strings NaN, Infinity and -Infinity.
    private static bool TrySpecialFloat(JsonElement element, out double value)
    {
        var text = JsonText.StringUtf8(element);
        if (text.SequenceEqual("NaN"u8))
        {
            value = double.NaN;
        }
        else if (text.SequenceEqual("Infinity"u8) || text.SequenceEqual("+Infinity"u8))
        {
            value = double.PositiveInfinity;
        }
        else if (text.SequenceEqual("-Infinity"u8))
        {
            value = double.NegativeInfinity;
        }
        else
        {
            value = 0;
            return false;
        }

        return true;
    }
}
