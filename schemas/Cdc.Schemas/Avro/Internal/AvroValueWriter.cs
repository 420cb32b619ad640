using System.Globalization;
using System.Text;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;
using BinaryEncoder = global::Avro.IO.BinaryEncoder;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// Writes .NET values (<see cref="ConnectValue"/>'s table) as Avro binary for the schema
/// <see cref="AvroSchemaWriter"/> derives from the same Connect schema; the inverse of <see cref="AvroValueReader"/>.
/// </summary>
internal static class AvroValueWriter
{
    public static void Write(BinaryEncoder encoder, ConnectSchema schema, object? value, string path)
    {
        if (schema.Optional)
        {
            var nullFirst = AvroSchemaWriter.NullFirst(schema);
            if (value is null)
            {
                encoder.WriteUnionIndex(nullFirst ? 0 : 1);
                return;
            }

            encoder.WriteUnionIndex(nullFirst ? 1 : 0);
        }
        else if (value is null)
        {
            throw new ArgumentException($"{path}: null for a required {schema.Name ?? schema.Type.ToString()}");
        }

        if (value is Unavailable)
        {
            WritePlaceholder(encoder, schema, path);
            return;
        }

        switch (schema.Type)
        {
            case ConnectType.Boolean:
                encoder.WriteBoolean(As<bool>(value, path));
                break;
            case ConnectType.Int8 or ConnectType.Int16:
                encoder.WriteInt(Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case ConnectType.Int32:
                encoder.WriteInt(Int32(value));
                break;
            case ConnectType.Int64:
                encoder.WriteLong(Int64(schema, value));
                break;
            case ConnectType.Float32:
                encoder.WriteFloat(JavaNaN(As<float>(value, path)));
                break;
            case ConnectType.Float64:
                encoder.WriteDouble(JavaNaN(As<double>(value, path)));
                break;
            case ConnectType.Bytes:
                encoder.WriteBytes(Bytes(schema, value, path));
                break;
            case ConnectType.String:
                encoder.WriteString(Text(value));
                break;
            case ConnectType.Array:
                WriteArray(encoder, schema, As<IReadOnlyList<object?>>(value, path), path);
                break;
            case ConnectType.Map:
                WriteMap(encoder, schema, As<IEnumerable<KeyValuePair<object?, object?>>>(value, path).ToList(), path);
                break;
            case ConnectType.Struct when schema.Name == ConnectLogicalNames.VariableScaleDecimal:
                var variable = As<ExactDecimal>(value, path);
                encoder.WriteInt(variable.Scale);
                encoder.WriteBytes(variable.Unscaled.ToByteArray(isUnsigned: false, isBigEndian: true));
                break;
            case ConnectType.Struct:
                WriteStruct(encoder, schema, As<RowImage>(value, path), path);
                break;
            default:
                throw new ArgumentException($"{path}: unsupported schema type {schema.Type}");
        }
    }

    public static void WriteStruct(BinaryEncoder encoder, ConnectSchema schema, RowImage row, string path)
    {
        foreach (var field in schema.Fields)
        {
            Write(encoder, field.Schema, row.TryGet(field.Name, out var column) ? column.Value : null, path + "." + field.Name);
        }
    }

    /// <summary>The int an Int32 value is written as (days for dates, milliseconds for times).</summary>
    public static int Int32(object value) => value switch
    {
        DateOnly date => EpochEncoding.Days(date),
        TimeSpan time => checked((int)(time.Ticks / TimeSpan.TicksPerMillisecond)),
        _ => Convert.ToInt32(value, CultureInfo.InvariantCulture),
    };

    /// <summary>The long an Int64 value is written as (epoch units for timestamps, durations).</summary>
    public static long Int64(ConnectSchema schema, object value) => value switch
    {
        DateTime timestamp => schema.Name switch
        {
            ConnectLogicalNames.Timestamp or ConnectLogicalNames.ConnectTimestamp => EpochEncoding.Millis(timestamp),
            ConnectLogicalNames.NanoTimestamp => EpochEncoding.Nanos(timestamp),
            _ => EpochEncoding.Micros(timestamp),
        },
        TimeSpan duration => schema.Name == ConnectLogicalNames.NanoTime ? duration.Ticks * 100 : duration.Ticks / 10,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    /// <summary>The bytes a Bytes value is written as (big-endian unscaled Decimals, BitSet bits).</summary>
    public static byte[] Bytes(ConnectSchema schema, object value, string path)
    {
        switch (value)
        {
            case ExactDecimal number:
                var scale = int.Parse(schema.Parameter(ConnectLogicalNames.ScaleParameter) ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                var scaled = DecimalText.Rescale(number, scale);
                return scaled.Scale == scale
                    ? scaled.Unscaled.ToByteArray(isUnsigned: false, isBigEndian: true)
                    : throw new ArgumentException($"{path}: {number} does not fit scale {scale}");
            case BitString bits:
                return BitSetBytes(bits.Bits);
            case byte[] bytes:
                return bytes;
            default:
                throw new ArgumentException($"{path}: {value.GetType().Name} is not bytes");
        }
    }

    // java.util.BitSet.toByteArray: bit 0 is the rightmost character; little-endian, trimmed after the highest set bit.
    private static byte[] BitSetBytes(string bits)
    {
        var bytes = new byte[(bits.Length + 7) / 8];
        var highest = -1;
        for (var bit = 0; bit < bits.Length; bit++)
        {
            if (bits[bits.Length - 1 - bit] == '1')
            {
                bytes[bit >> 3] |= (byte)(1 << (bit & 7));
                highest = bit;
            }
        }

        return bytes[..((highest >> 3) + 1)];
    }

    /// <summary>The text a String value is written as (UUIDs, ZonedTimestamps).</summary>
    public static string Text(object value) => value switch
    {
        string text => text,
        Guid guid => guid.ToString("D"),
        DateTimeOffset timestamp => ZonedTimestamp(timestamp),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // Debezium's ZonedTimestamp: ISO_OFFSET_DATE_TIME in UTC, fraction trimmed of trailing zeros.
    private static string ZonedTimestamp(DateTimeOffset timestamp) =>
        timestamp == DateTimeOffset.MaxValue ? "infinity"
        : timestamp == DateTimeOffset.MinValue ? "-infinity"
        : timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "Z";

    private static void WriteArray(BinaryEncoder encoder, ConnectSchema schema, IReadOnlyList<object?> items, string path)
    {
        encoder.WriteArrayStart();
        encoder.SetItemCount(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            encoder.StartItem();
            Write(encoder, schema.Items!, items[i], $"{path}[{i}]");
        }

        encoder.WriteArrayEnd();
    }

    private static void WriteMap(BinaryEncoder encoder, ConnectSchema schema, List<KeyValuePair<object?, object?>> entries, string path)
    {
        var keys = schema.Keys!;
        var native = keys.Type == ConnectType.String && !keys.Optional;
        if (native)
        {
            encoder.WriteMapStart();
        }
        else
        {
            encoder.WriteArrayStart();
        }

        encoder.SetItemCount(entries.Count);
        foreach (var (key, value) in entries)
        {
            encoder.StartItem();
            if (native)
            {
                encoder.WriteString(Text(key ?? throw new ArgumentException($"{path}: null map key")));
            }
            else
            {
                Write(encoder, keys, key, path + ".key");
            }

            Write(encoder, schema.Values!, value, $"{path}[{key}]");
        }

        if (native)
        {
            encoder.WriteMapEnd();
        }
        else
        {
            encoder.WriteArrayEnd();
        }
    }

    // The forms Debezium gives an unchanged TOASTed column (DEBEZIUM-FACTS §2).
    private static void WritePlaceholder(BinaryEncoder encoder, ConnectSchema schema, string path)
    {
        switch (schema.Type)
        {
            case ConnectType.String:
                encoder.WriteString(Unavailable.Placeholder);
                break;
            case ConnectType.Bytes when schema.Name is null:
                encoder.WriteBytes(AvroToastPlaceholder.Bytes);
                break;
            case ConnectType.Array:
                var items = schema.Items!;
                object?[] raw = items.Type switch
                {
                    ConnectType.String => [items.Name == ConnectLogicalNames.Uuid ? Guid.Parse(AvroToastPlaceholder.Uuid) : Unavailable.Placeholder],
                    ConnectType.Bytes => [AvroToastPlaceholder.Bytes],
                    ConnectType.Int8 or ConnectType.Int16 => AvroToastPlaceholder.Bytes.Select(b => (object?)(short)b).ToArray(),
                    ConnectType.Int32 when items.Name is ConnectLogicalNames.Date => AvroToastPlaceholder.Bytes.Select(b => (object?)DateOnly.FromDayNumber(719_162 + b)).ToArray(),
                    ConnectType.Int32 => AvroToastPlaceholder.Bytes.Select(b => (object?)(int)b).ToArray(),
                    ConnectType.Int64 => AvroToastPlaceholder.Bytes.Select(b => (object?)(long)b).ToArray(),
                    _ => throw new ArgumentException($"{path}: no TOAST placeholder form for an array of {items.Type}"),
                };
                WriteArray(encoder, schema, raw, path);
                break;
            case ConnectType.Map:
                WriteMap(encoder, schema, [new(Unavailable.Placeholder, Unavailable.Placeholder)], path);
                break;
            default:
                throw new ArgumentException($"{path}: no TOAST placeholder form for {schema.Name ?? schema.Type.ToString()}");
        }
    }

    // .NET's NaN has the sign bit set; Java's (what Debezium writes) is the canonical 0x7ff8000000000000.
    private static double JavaNaN(double value) => double.IsNaN(value) ? BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0000) : value;

    private static float JavaNaN(float value) => float.IsNaN(value) ? BitConverter.Int32BitsToSingle(0x7FC0_0000) : value;

    private static T As<T>(object value, string path) =>
        value is T typed ? typed : throw new ArgumentException($"{path}: expected {typeof(T).Name}, got {value.GetType().Name}");

}
