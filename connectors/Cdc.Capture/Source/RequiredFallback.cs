using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Capture.Source;

/// <summary>
/// What Debezium writes for a NULL in a required (NOT NULL) field: a delete's <c>before</c> under REPLICA IDENTITY
/// DEFAULT carries only the key, yet the row struct requires its NOT NULL columns, so Debezium's converters use their
/// fallback (0, false, "", epoch, zero decimal). Types without a simple fallback get the unavailable placeholder,
/// which no sink ever writes (docs/design.md#invariant-5-the-toast-placeholder-is-never-written).
/// </summary>
internal static class RequiredFallback
{
    public static object? For(ConnectSchema schema) => schema.Name switch
    {
        ConnectLogicalNames.Date or ConnectLogicalNames.ConnectDate => DateOnly.FromDateTime(DateTime.UnixEpoch),
        ConnectLogicalNames.Time or ConnectLogicalNames.MicroTime or ConnectLogicalNames.NanoTime or ConnectLogicalNames.ConnectTime or ConnectLogicalNames.MicroDuration => TimeSpan.Zero,
        ConnectLogicalNames.Timestamp or ConnectLogicalNames.MicroTimestamp or ConnectLogicalNames.NanoTimestamp or ConnectLogicalNames.ConnectTimestamp => DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Unspecified),
        ConnectLogicalNames.ZonedTimestamp => DateTimeOffset.UnixEpoch,
        ConnectLogicalNames.Uuid => Guid.Empty,
        ConnectLogicalNames.Decimal => new ExactDecimal(0, int.Parse(schema.Parameter(ConnectLogicalNames.ScaleParameter) ?? "0", System.Globalization.CultureInfo.InvariantCulture)),
        null or ConnectLogicalNames.Json or ConnectLogicalNames.Enum or ConnectLogicalNames.Xml or ConnectLogicalNames.ZonedTime => schema.Type switch
        {
            ConnectType.Boolean => false,
            ConnectType.Int16 => (short)0,
            ConnectType.Int32 => 0,
            ConnectType.Int64 => 0L,
            ConnectType.Float32 => 0f,
            ConnectType.Float64 => 0d,
            ConnectType.String => "",
            ConnectType.Bytes => Array.Empty<byte>(),
            ConnectType.Array => Array.Empty<object?>(),
            _ => Unavailable.Value,
        },
        _ => Unavailable.Value,
    };
}
