namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// Epoch-based Connect/Debezium temporal values to .NET. PostgreSQL's <c>infinity</c> and <c>-infinity</c>
/// arrive as sentinel numbers (PostgresValueConverter, dbz#2524) and map to the .NET type's max/min value,
/// which Npgsql writes back as <c>infinity</c>/<c>-infinity</c>.
/// </summary>
internal static class EpochTime
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const int UnixEpochDayNumber = 719_162;
    private static readonly long MaxTicksSinceEpoch = DateTime.MaxValue.Ticks - UnixEpochTicks;
    private static readonly long MinTicksSinceEpoch = -UnixEpochTicks;

    // PGStatement.DATE_POSITIVE_INFINITY / DATE_NEGATIVE_INFINITY read as microseconds.
    private const long PositiveInfinityMicros = 9_223_372_036_825_200_000;
    private const long NegativeInfinityMicros = -9_223_372_036_832_400_000;

    // io.debezium.time.Date of +5877611-06-21 (positive infinity), of -5877611-06-21 (positive infinity
    // before dbz#2524) and of -5877611-06-22 (negative infinity).
    private const int PositiveInfinityDays = 2_146_033_979;
    private const int LegacyPositiveInfinityDays = -2_147_472_693;
    private const int NegativeInfinityDays = -2_147_472_692;

    public static DateOnly DateFromEpochDays(int days)
    {
        if (days is PositiveInfinityDays or LegacyPositiveInfinityDays)
        {
            return DateOnly.MaxValue;
        }

        if (days == NegativeInfinityDays)
        {
            return DateOnly.MinValue;
        }

        var dayNumber = (long)UnixEpochDayNumber + days;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw new ValueDecodeError($"{days} days since 1970-01-01 is outside the range of DateOnly");
        }

        return DateOnly.FromDayNumber((int)dayNumber);
    }

    public static DateTime TimestampFromMillis(long millis)
    {
        if (millis >= PositiveInfinityMicros / 1000)
        {
            return DateTime.MaxValue;
        }

        return millis <= NegativeInfinityMicros / 1000 ? DateTime.MinValue : FromScaled(millis, TimeSpan.TicksPerMillisecond, "milliseconds");
    }

    public static DateTime TimestampFromMicros(long micros)
    {
        if (micros >= PositiveInfinityMicros)
        {
            return DateTime.MaxValue;
        }

        return micros <= NegativeInfinityMicros ? DateTime.MinValue : FromScaled(micros, 10, "microseconds");
    }

    public static DateTime TimestampFromNanos(long nanos) =>
        nanos switch
        {
            long.MaxValue => DateTime.MaxValue,
            long.MinValue => DateTime.MinValue,
            _ => new DateTime(UnixEpochTicks + FloorDiv(nanos, 100), DateTimeKind.Unspecified),
        };

    public static TimeSpan DurationFromMillis(long millis) => DurationFromScaled(millis, TimeSpan.TicksPerMillisecond, "milliseconds");

    public static TimeSpan DurationFromMicros(long micros) => DurationFromScaled(micros, 10, "microseconds");

    public static TimeSpan DurationFromNanos(long nanos) => new(nanos / 100);

    private static DateTime FromScaled(long value, long ticksPerUnit, string unit)
    {
        if (value > MaxTicksSinceEpoch / ticksPerUnit || value < MinTicksSinceEpoch / ticksPerUnit)
        {
            throw new ValueDecodeError($"{value} {unit} since 1970-01-01 is outside the range of DateTime");
        }

        return new DateTime(UnixEpochTicks + (value * ticksPerUnit), DateTimeKind.Unspecified);
    }

    private static TimeSpan DurationFromScaled(long value, long ticksPerUnit, string unit)
    {
        if (value > long.MaxValue / ticksPerUnit || value < long.MinValue / ticksPerUnit)
        {
            throw new ValueDecodeError($"{value} {unit} is outside the range of TimeSpan");
        }

        return new TimeSpan(value * ticksPerUnit);
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return value % divisor < 0 ? quotient - 1 : quotient;
    }
}
