using System.Globalization;
using System.Text;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// .NET values (<see cref="ConnectValue"/>'s table) in the primitive form the converters put on the wire, shared by
/// the Avro and JSON encoders: epoch numbers for temporal types, unscaled bytes for decimals, BitSet bytes for bits,
/// ISO text for ZonedTimestamp, and the TOAST placeholder's per-type form.
/// </summary>
internal static class WireValue
{
    private static readonly byte[] PlaceholderBytes = Encoding.UTF8.GetBytes(Unavailable.Placeholder);

    /// <summary><c>UUID.nameUUIDFromBytes(placeholder)</c>, the <c>uuid[]</c> placeholder element.</summary>
    private static readonly Guid PlaceholderUuid = Guid.Parse("b68a35a7-17ad-35b3-af2a-ae46edb4545a");

    /// <summary>The int an Int8/16/32 value is written as (days for dates, milliseconds for times).</summary>
    public static int Int32(object value) => value switch
    {
        DateOnly or ExtendedTemporal => EpochEncoding.Days(value),
        TimeSpan time => checked((int)(time.Ticks / TimeSpan.TicksPerMillisecond)),
        _ => Convert.ToInt32(value, CultureInfo.InvariantCulture),
    };

    /// <summary>The long an Int64 value is written as (epoch units for timestamps, durations).</summary>
    public static long Int64(ConnectSchema schema, object value) => value switch
    {
        DateTime or ExtendedTemporal => schema.Name switch
        {
            ConnectLogicalNames.Timestamp or ConnectLogicalNames.ConnectTimestamp => EpochEncoding.Millis(value),
            ConnectLogicalNames.NanoTimestamp => EpochEncoding.Nanos(value),
            _ => EpochEncoding.Micros(value),
        },
        TimeSpan duration => schema.Name == ConnectLogicalNames.NanoTime ? duration.Ticks * 100 : duration.Ticks / 10,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    /// <summary>The bytes a Bytes value is written as (big-endian unscaled Decimals, BitSet bits).</summary>
    /// <exception cref="ArgumentException">The value is not bytes, or a decimal does not fit the schema's scale.</exception>
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
                return BitsDecoder.Encode(bits.Bits);
            case byte[] bytes:
                return bytes;
            default:
                throw new ArgumentException($"{path}: {value.GetType().Name} is not bytes");
        }
    }

    /// <summary>The text a String value is written as (UUIDs, ZonedTimestamps).</summary>
    public static string Text(object value) => value switch
    {
        string text => text,
        Guid guid => guid.ToString("D"),
        DateTimeOffset timestamp => ZonedTimestamp(timestamp),
        ExtendedTemporal { Kind: TemporalKind.ZonedTimestamp } extended => extended.ToIsoString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>
    /// The value whose wire form is Debezium's placeholder for an unchanged TOASTed column of <paramref name="schema"/>
    /// (docs/design.md#the-toast-placeholder): the text, its bytes, a one-element text/bytes/uuid array, an array of
    /// the text's byte values, or the map {placeholder: placeholder}.
    /// </summary>
    /// <exception cref="ArgumentException">Debezium has no placeholder form for the type.</exception>
    public static object Placeholder(ConnectSchema schema, string path)
    {
        switch (schema.Type)
        {
            case ConnectType.String:
                return Unavailable.Placeholder;
            case ConnectType.Bytes when schema.Name is null:
                return PlaceholderBytes;
            case ConnectType.Array:
                var items = schema.Items!;
                return items.Type switch
                {
                    ConnectType.String => [items.Name == ConnectLogicalNames.Uuid ? PlaceholderUuid : Unavailable.Placeholder],
                    ConnectType.Bytes => [PlaceholderBytes],
                    ConnectType.Int8 or ConnectType.Int16 => PlaceholderBytes.Select(b => (object?)(short)b).ToArray(),
                    ConnectType.Int32 when items.Name is ConnectLogicalNames.Date => PlaceholderBytes.Select(b => (object?)DateOnly.FromDayNumber(EpochTime.UnixEpochDayNumber + b)).ToArray(),
                    ConnectType.Int32 => PlaceholderBytes.Select(b => (object?)(int)b).ToArray(),
                    ConnectType.Int64 => PlaceholderBytes.Select(b => (object?)(long)b).ToArray(),
                    _ => throw new ArgumentException($"{path}: no TOAST placeholder form for an array of {items.Type}"),
                };
            case ConnectType.Map:
                return new KeyValuePair<object?, object?>[] { new(Unavailable.Placeholder, Unavailable.Placeholder) };
            default:
                throw new ArgumentException($"{path}: no TOAST placeholder form for {schema.Name ?? schema.Type.ToString()}");
        }
    }

    /// <summary>The value as <typeparamref name="T"/>, or an <see cref="ArgumentException"/> naming the path.</summary>
    public static T As<T>(object value, string path) =>
        value is T typed ? typed : throw new ArgumentException($"{path}: expected {typeof(T).Name}, got {value.GetType().Name}");

    // Debezium's ZonedTimestamp: ISO_OFFSET_DATE_TIME in UTC, fraction trimmed of trailing zeros.
    private static string ZonedTimestamp(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        Span<char> text = stackalloc char[28];
        utc.TryFormat(text, out var length, "s", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text[length++] = '.';
            fraction.TryFormat(text[length..], out var written, "D7", CultureInfo.InvariantCulture);
            length += written;
            while (text[length - 1] == '0')
            {
                length--;
            }
        }

        text[length++] = 'Z';
        return new string(text[..length]);
    }
}
