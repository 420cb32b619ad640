namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// The inverse of <see cref="EpochTime"/>: .NET and <see cref="ExtendedTemporal"/> values to Debezium's epoch numbers
/// and ZonedTimestamp text, infinities as Debezium's sentinels (docs/design.md#temporal-values).
/// </summary>
internal static class EpochEncoding
{
    /// <exception cref="ArgumentException">Not a date.</exception>
    public static int Days(object value) => value switch
    {
        DateOnly date => date.DayNumber - EpochTime.UnixEpochDayNumber,
        ExtendedTemporal { Kind: TemporalKind.Date, Infinity: > 0 } => EpochTime.PositiveInfinityDays,
        ExtendedTemporal { Kind: TemporalKind.Date, Infinity: < 0 } => EpochTime.NegativeInfinityDays,
        ExtendedTemporal { Kind: TemporalKind.Date } extended => checked((int)extended.EpochValue),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a date"),
    };

    /// <exception cref="ArgumentException">Not a timestamp.</exception>
    public static long Micros(object value) => value switch
    {
        DateTime timestamp => (timestamp.Ticks - EpochTime.UnixEpochTicks) / 10,
        ExtendedTemporal { Kind: TemporalKind.Timestamp, Infinity: > 0 } => EpochTime.PositiveInfinityMicros,
        ExtendedTemporal { Kind: TemporalKind.Timestamp, Infinity: < 0 } => EpochTime.NegativeInfinityMicros,
        ExtendedTemporal { Kind: TemporalKind.Timestamp } extended => extended.EpochValue,
        _ => throw new ArgumentException($"{value.GetType().Name} is not a timestamp"),
    };

    /// <exception cref="ArgumentException">Not a timestamp.</exception>
    public static long Millis(object value) => value switch
    {
        DateTime timestamp => ProlepticCalendar.FloorDiv(timestamp.Ticks - EpochTime.UnixEpochTicks, TimeSpan.TicksPerMillisecond),
        ExtendedTemporal { Kind: TemporalKind.Timestamp, Infinity: > 0 } => EpochTime.PositiveInfinityMicros / 1000,
        ExtendedTemporal { Kind: TemporalKind.Timestamp, Infinity: < 0 } => EpochTime.NegativeInfinityMicros / 1000,
        ExtendedTemporal { Kind: TemporalKind.Timestamp } extended => ProlepticCalendar.FloorDiv(extended.EpochValue, 1000),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a timestamp"),
    };

    /// <exception cref="ArgumentException">Not a timestamp.</exception>
    public static long Nanos(object value) => value switch
    {
        DateTime timestamp => (timestamp.Ticks - EpochTime.UnixEpochTicks) * 100,
        ExtendedTemporal { Kind: TemporalKind.Timestamp, Infinity: > 0 } => long.MaxValue,
        ExtendedTemporal { Kind: TemporalKind.Timestamp, Infinity: < 0 } => long.MinValue,
        ExtendedTemporal { Kind: TemporalKind.Timestamp } extended => checked(extended.EpochValue * 1000),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a timestamp"),
    };
}
