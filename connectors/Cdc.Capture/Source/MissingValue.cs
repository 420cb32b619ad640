using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Capture.Source;

/// <summary>
/// What Debezium puts in a required (NOT NULL) field whose value the WAL does not carry: the non-key columns of a
/// key-only <c>before</c> image (REPLICA IDENTITY DEFAULT). Its converters then return the type's fallback, zero or
/// empty (JdbcValueConverters: a null for a non-optional column becomes the fallback value); here the same zero,
/// read through the one text-to-value conversion so its representation is the decoders'.
/// </summary>
internal static class MissingValue
{
    public static object? For(CapturedColumn column)
    {
        if (column.Schema.Optional)
        {
            return null;
        }

        if (column.Schema.Type == ConnectType.Array)
        {
            return Array.Empty<object?>();
        }

        return ZeroText(column) is { } text ? PostgresText.ToConnectValue(text, column.Schema, column.PgType) : Unavailable.Value;
    }

    private static string? ZeroText(CapturedColumn column) => column.Schema.Name switch
    {
        ConnectLogicalNames.Date => "1970-01-01",
        ConnectLogicalNames.Time or ConnectLogicalNames.MicroTime or ConnectLogicalNames.NanoTime => "00:00:00",
        ConnectLogicalNames.ZonedTime => "00:00:00+00",
        ConnectLogicalNames.Timestamp or ConnectLogicalNames.MicroTimestamp or ConnectLogicalNames.NanoTimestamp => "1970-01-01 00:00:00",
        ConnectLogicalNames.ZonedTimestamp => "1970-01-01 00:00:00+00",
        ConnectLogicalNames.MicroDuration => "00:00:00",
        ConnectLogicalNames.Uuid => "00000000-0000-0000-0000-000000000000",
        ConnectLogicalNames.Json => "{}",
        ConnectLogicalNames.VariableScaleDecimal => "0",
        ConnectLogicalNames.Bits => column.PgType.StartsWith("bit varying", StringComparison.Ordinal) ? "" : null,
        _ => column.Schema.Type switch
        {
            ConnectType.Int8 or ConnectType.Int16 or ConnectType.Int32 or ConnectType.Int64 or ConnectType.Float32 or ConnectType.Float64 => "0",
            ConnectType.Boolean => "f",
            ConnectType.Bytes when column.PgType is "bytea" => "\\x",
            ConnectType.Bytes => "0",
            ConnectType.String => "",
            _ => null,
        },
    };
}
