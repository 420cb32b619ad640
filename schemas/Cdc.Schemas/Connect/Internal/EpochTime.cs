namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// Epoch-based Connect/Debezium temporal values to .NET: <see cref="DateOnly"/>, <see cref="DateTime"/> and
/// <see cref="DateTimeOffset"/> for years 1 to 9999, <see cref="ExtendedTemporal"/> for the rest. PostgreSQL's
/// <c>infinity</c> and <c>-infinity</c> arrive as Debezium's sentinel numbers (PostgresValueConverter) and become
/// <see cref="ExtendedTemporal"/> infinities, never a .NET minimum or maximum that a real date also has
/// (docs/design.md#temporal-values).
/// </summary>
internal static class EpochTime
{
    public const long UnixEpochTicks = 621_355_968_000_000_000;
    public const int UnixEpochDayNumber = 719_162;

    /// <summary><c>PGStatement.DATE_POSITIVE_INFINITY</c> read as microseconds (<c>POSITIVE_INFINITY_INSTANT</c>).</summary>
    public const long PositiveInfinityMicros = 9_223_372_036_825_200_000;

    /// <summary><c>PGStatement.DATE_NEGATIVE_INFINITY</c> read as microseconds.</summary>
    public const long NegativeInfinityMicros = -9_223_372_036_832_400_000;

    /// <summary>
    /// <c>io.debezium.time.Date</c> of date <c>infinity</c>: <c>LocalDate.parse("-5877611-06-21").toEpochDay()</c>, the
    /// sign slip Debezium still ships (dbz#2524, PR #7927, open), so infinity is a large negative number.
    /// </summary>
    public const int PositiveInfinityDays = -2_147_472_692;

    /// <summary>The same, as dbz#2524 proposes to correct it (+5877611-06-21); read, never written.</summary>
    public const int CorrectedPositiveInfinityDays = 2_146_033_979;

    /// <summary><c>io.debezium.time.Date</c> of date <c>-infinity</c>: <c>LocalDate.parse("-5877611-06-22").toEpochDay()</c>.</summary>
    public const int NegativeInfinityDays = -2_147_472_691;

    private static readonly long MaxMicros = (DateTime.MaxValue.Ticks - UnixEpochTicks) / 10;
    private static readonly long MinMicros = -UnixEpochTicks / 10;

    public static object DateFromEpochDays(int days)
    {
        switch (days)
        {
            case PositiveInfinityDays or CorrectedPositiveInfinityDays:
                return ExtendedTemporal.PositiveInfinity(TemporalKind.Date);
            case NegativeInfinityDays:
                return ExtendedTemporal.NegativeInfinity(TemporalKind.Date);
        }

        var dayNumber = (long)UnixEpochDayNumber + days;
        return dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber
            ? ExtendedTemporal.FromEpochDays(days)
            : DateOnly.FromDayNumber((int)dayNumber);
    }

    public static object TimestampFromMillis(long millis) =>
        millis >= PositiveInfinityMicros / 1000 ? ExtendedTemporal.PositiveInfinity(TemporalKind.Timestamp)
        : millis <= NegativeInfinityMicros / 1000 ? ExtendedTemporal.NegativeInfinity(TemporalKind.Timestamp)
        : FromEpochMicros(TemporalKind.Timestamp, millis * 1000);

    public static object TimestampFromMicros(long micros) =>
        micros >= PositiveInfinityMicros ? ExtendedTemporal.PositiveInfinity(TemporalKind.Timestamp)
        : micros <= NegativeInfinityMicros ? ExtendedTemporal.NegativeInfinity(TemporalKind.Timestamp)
        : FromEpochMicros(TemporalKind.Timestamp, micros);

    public static object TimestampFromNanos(long nanos) =>
        nanos switch
        {
            long.MaxValue => ExtendedTemporal.PositiveInfinity(TemporalKind.Timestamp),
            long.MinValue => ExtendedTemporal.NegativeInfinity(TemporalKind.Timestamp),
            _ when nanos % 1000 == 0 => FromEpochMicros(TemporalKind.Timestamp, nanos / 1000),
            _ => new DateTime(UnixEpochTicks + ProlepticCalendar.FloorDiv(nanos, 100), DateTimeKind.Unspecified),
        };

    /// <summary>
    /// A finite instant: a <see cref="DateTime"/> (kind Unspecified) for a timestamp, a <see cref="DateTimeOffset"/> at
    /// offset zero for a timestamptz, an <see cref="ExtendedTemporal"/> outside years 1 to 9999.
    /// </summary>
    public static object FromEpochMicros(TemporalKind kind, long micros)
    {
        if (micros < MinMicros || micros > MaxMicros)
        {
            return ExtendedTemporal.FromEpochMicros(kind, micros);
        }

        var ticks = UnixEpochTicks + (micros * 10);
        return kind == TemporalKind.ZonedTimestamp
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : (object)new DateTime(ticks, DateTimeKind.Unspecified);
    }

    public static TimeSpan DurationFromMillis(long millis) => DurationFromScaled(millis, TimeSpan.TicksPerMillisecond, "milliseconds");

    public static TimeSpan DurationFromMicros(long micros) => DurationFromScaled(micros, 10, "microseconds");

    public static TimeSpan DurationFromNanos(long nanos) => new(nanos / 100);

    private static TimeSpan DurationFromScaled(long value, long ticksPerUnit, string unit)
    {
        if (value > long.MaxValue / ticksPerUnit || value < long.MinValue / ticksPerUnit)
        {
            throw new ValueDecodeError($"{value} {unit} is outside the range of TimeSpan");
        }

        return new TimeSpan(value * ticksPerUnit);
    }
}
