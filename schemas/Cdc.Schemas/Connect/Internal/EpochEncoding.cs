namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// The inverse of the decoders' epoch conversions: .NET temporal values to Debezium's epoch numbers, with
/// <c>MinValue</c>/<c>MaxValue</c> written as PostgreSQL's <c>-infinity</c>/<c>infinity</c> sentinels.
/// </summary>
internal static class EpochEncoding
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const int UnixEpochDayNumber = 719_162;
    private const long PositiveInfinityMicros = 9_223_372_036_825_200_000;
    private const long NegativeInfinityMicros = -9_223_372_036_832_400_000;
    private const int PositiveInfinityDays = 2_146_033_979;
    private const int NegativeInfinityDays = -2_147_472_692;

    public static int Days(DateOnly date) =>
        date == DateOnly.MaxValue ? PositiveInfinityDays
        : date == DateOnly.MinValue ? NegativeInfinityDays
        : date.DayNumber - UnixEpochDayNumber;

    public static long Micros(DateTime timestamp) =>
        timestamp == DateTime.MaxValue ? PositiveInfinityMicros
        : timestamp == DateTime.MinValue ? NegativeInfinityMicros
        : (timestamp.Ticks - UnixEpochTicks) / 10;

    public static long Millis(DateTime timestamp) =>
        timestamp == DateTime.MaxValue ? PositiveInfinityMicros / 1000
        : timestamp == DateTime.MinValue ? NegativeInfinityMicros / 1000
        : (timestamp.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;

    public static long Nanos(DateTime timestamp) =>
        timestamp == DateTime.MaxValue ? long.MaxValue
        : timestamp == DateTime.MinValue ? long.MinValue
        : (timestamp.Ticks - UnixEpochTicks) * 100;
}
