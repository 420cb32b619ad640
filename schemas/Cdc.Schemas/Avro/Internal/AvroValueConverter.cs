using System.Globalization;
using System.Numerics;
using System.Text;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// A raw Avro primitive to its .NET value by Connect schema; the same table and the same placeholder rules as
/// the JSON path's JsonValueReader, so both formats give equal values.
/// </summary>
internal static class AvroValueConverter
{
    public static object Convert(object raw, ConnectSchema schema, bool column)
    {
        if (column && raw is string placeholder && placeholder == Unavailable.Placeholder)
        {
            return Unavailable.Value;
        }

        return schema.Type switch
        {
            ConnectType.Int8 => raw is int i8 && i8 is >= sbyte.MinValue and <= sbyte.MaxValue ? (short)i8 : throw Mismatch(raw, schema, "an int in the int8 range"),
            ConnectType.Int16 => raw is int i16 && i16 is >= short.MinValue and <= short.MaxValue ? (short)i16 : throw Mismatch(raw, schema, "an int in the int16 range"),
            ConnectType.Int32 => raw is int i32 ? Int32(i32, schema) : throw Mismatch(raw, schema, "an int"),
            ConnectType.Int64 => raw is long i64 ? Int64(i64, schema) : throw Mismatch(raw, schema, "a long"),
            ConnectType.Bytes => raw is byte[] bytes ? Bytes(bytes, schema, column) : throw Mismatch(raw, schema, "bytes"),
            ConnectType.String => raw is string text ? String(text, schema, column) : throw Mismatch(raw, schema, "a string"),
            _ => raw,
        };
    }

    private static object Int32(int value, ConnectSchema schema) => schema.Name switch
    {
        ConnectLogicalNames.Date or ConnectLogicalNames.ConnectDate => EpochTime.DateFromEpochDays(value),
        ConnectLogicalNames.Time or ConnectLogicalNames.ConnectTime => EpochTime.DurationFromMillis(value),
        _ => value,
    };

    private static object Int64(long value, ConnectSchema schema) => schema.Name switch
    {
        ConnectLogicalNames.MicroTimestamp => EpochTime.TimestampFromMicros(value),
        ConnectLogicalNames.Timestamp or ConnectLogicalNames.ConnectTimestamp => EpochTime.TimestampFromMillis(value),
        ConnectLogicalNames.NanoTimestamp => EpochTime.TimestampFromNanos(value),
        ConnectLogicalNames.MicroTime or ConnectLogicalNames.MicroDuration => EpochTime.DurationFromMicros(value),
        ConnectLogicalNames.NanoTime => EpochTime.DurationFromNanos(value),
        _ => value,
    };

    private static object Bytes(byte[] bytes, ConnectSchema schema, bool column)
    {
        switch (schema.Name)
        {
            case ConnectLogicalNames.Decimal:
                var scaleText = schema.Parameter(ConnectLogicalNames.ScaleParameter);
                if (scaleText is null || !int.TryParse(scaleText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var scale))
                {
                    throw new ValueDecodeError($"{ConnectLogicalNames.Decimal} schema without a valid '{ConnectLogicalNames.ScaleParameter}' parameter");
                }

                return bytes.Length > 0
                    ? new ExactDecimal(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), scale)
                    : throw new ValueDecodeError($"empty bytes for {ConnectLogicalNames.Decimal}");
            case ConnectLogicalNames.Bits:
                return BitsDecoder.Decode(bytes, schema.Parameter(ConnectLogicalNames.LengthParameter));
            default:
                return column && bytes.AsSpan().SequenceEqual(AvroToastPlaceholder.Bytes) ? Unavailable.Value : bytes;
        }
    }

    private static object String(string text, ConnectSchema schema, bool column)
    {
        switch (schema.Name)
        {
            case ConnectLogicalNames.ZonedTimestamp:
                return IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var timestamp, out var problem)
                    ? timestamp
                    : throw new ValueDecodeError($"invalid {ConnectLogicalNames.ZonedTimestamp} \"{text}\": {problem}");
            case ConnectLogicalNames.Uuid:
                return Guid.TryParse(text, out var guid) ? guid : throw new ValueDecodeError($"invalid {ConnectLogicalNames.Uuid} \"{text}\"");
            case ConnectLogicalNames.Json when column && text == AvroToastPlaceholder.HstoreJson:
                return Unavailable.Value;
            default:
                return text;
        }
    }

    private static ValueDecodeError Mismatch(object raw, ConnectSchema schema, string expected) =>
        new($"expected {expected} for {schema.Name ?? schema.Type.ToString().ToLowerInvariant()}, got {raw.GetType().Name}");
}
