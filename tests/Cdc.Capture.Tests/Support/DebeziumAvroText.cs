using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Avro;
using Avro.Generic;

namespace Cdc.Capture.Tests.Support;

/// <summary>
/// Turns what Confluent's <c>AvroDeserializer&lt;GenericRecord&gt;</c> reads from a Debezium field into PostgreSQL's
/// input text for the column, following Debezium's documented mapping (each field's <c>connect.name</c> and
/// <c>connect.parameters</c>), independently of Cdc's own decoder: the reference side of the round-trip test.
/// </summary>
internal static class DebeziumAvroText
{
    public const string ToastPlaceholder = "__debezium_unavailable_value";

    /// <summary>PostgreSQL input text of <paramref name="value"/>, or null for SQL NULL.</summary>
    public static string? Of(object? value, Schema fieldSchema)
    {
        if (value is null)
        {
            return null;
        }

        var schema = fieldSchema is UnionSchema union ? union.Schemas.First(s => s.Tag != Schema.Type.Null) : fieldSchema;
        var name = Property(schema, "connect.name");
        return (name, value) switch
        {
            ("io.debezium.time.Date", int days) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ("io.debezium.time.Time", int millis) => TimeSpan.FromMilliseconds(millis).ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture),
            ("io.debezium.time.MicroTime", long micros) => TimeSpan.FromMicroseconds(micros).ToString(@"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture),
            ("io.debezium.time.Timestamp", long millis) => DateTime.UnixEpoch.AddMilliseconds(millis).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
            ("io.debezium.time.MicroTimestamp", long micros) => DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            ("io.debezium.time.MicroDuration", long micros) => $"{micros} microseconds",
            ("io.debezium.data.Bits", byte[] bytes) => Bits(bytes, int.Parse(Parameter(schema, "length")!, CultureInfo.InvariantCulture)),
            ("io.debezium.data.VariableScaleDecimal", GenericRecord record) => Decimal((byte[])record["value"], (int)record["scale"]),
            ("org.apache.kafka.connect.data.Decimal", AvroDecimal decimalValue) => decimalValue.ToString(),
            ("org.apache.kafka.connect.data.Decimal", byte[] bytes) => Decimal(bytes, int.Parse(Parameter(schema, "scale")!, CultureInfo.InvariantCulture)),
            (_, byte[] bytes) => "\\x" + Convert.ToHexString(bytes).ToLowerInvariant(),
            (_, object[] items) => "{" + string.Join(",", items.Select(i => Of(i, ((ArraySchema)schema).ItemSchema) is { } text ? Quote(text) : "NULL")) + "}",
            (_, float f) => float.IsNaN(f) ? "NaN" : float.IsPositiveInfinity(f) ? "Infinity" : float.IsNegativeInfinity(f) ? "-Infinity" : f.ToString("R", CultureInfo.InvariantCulture),
            (_, double d) => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : d.ToString("R", CultureInfo.InvariantCulture),
            (_, bool b) => b ? "true" : "false",
            (_, IFormattable f) => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    public static string? Property(Schema schema, string key) =>
        schema.GetProperty(key) is { } json ? JsonDocument.Parse(json).RootElement is { ValueKind: JsonValueKind.String } s ? s.GetString() : json : null;

    private static string? Parameter(Schema schema, string key) =>
        schema.GetProperty("connect.parameters") is { } json && JsonDocument.Parse(json).RootElement.TryGetProperty(key, out var value) ? value.GetString() : null;

    // Kafka Connect's Decimal: the unscaled value as big-endian two's complement.
    private static string Decimal(byte[] unscaled, int scale)
    {
        var digits = BigInteger.Abs(new BigInteger(unscaled, isUnsigned: false, isBigEndian: true)).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var sign = new BigInteger(unscaled, isUnsigned: false, isBigEndian: true).Sign < 0 ? "-" : "";
        return scale == 0 ? sign + digits : $"{sign}{digits[..^scale]}.{digits[^scale..]}";
    }

    // Debezium's Bits: java.util.BitSet.toByteArray, bit 0 first (little-endian); the string is written high bit first.
    private static string Bits(byte[] bytes, int length)
    {
        var text = new StringBuilder(length);
        for (var bit = length - 1; bit >= 0; bit--)
        {
            text.Append(bit / 8 < bytes.Length && (bytes[bit / 8] & (1 << (bit % 8))) != 0 ? '1' : '0');
        }

        return text.ToString();
    }

    private static string Quote(string element) => "\"" + element.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
