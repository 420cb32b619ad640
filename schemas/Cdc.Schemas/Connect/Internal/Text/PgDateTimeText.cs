using System.Globalization;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>
/// DateStyle=ISO output of date, time, timetz, timestamp and timestamptz. Years 1 to 9999 give the .NET types; BC
/// dates, later years and <c>infinity</c>/<c>-infinity</c> give an <see cref="ExtendedTemporal"/>
/// (docs/design.md#temporal-values), as exact as Debezium's epoch numbers are.
/// </summary>
internal static class PgDateTimeText
{
    private const long MicrosPerDay = 86_400_000_000;

    public static readonly Func<string, object> Date = static text => text switch
    {
        "infinity" => ExtendedTemporal.PositiveInfinity(TemporalKind.Date),
        "-infinity" => ExtendedTemporal.NegativeInfinity(TemporalKind.Date),
        _ => ParseDate(text),
    };

    public static readonly Func<string, object> TimeMillis = static text => Truncate(ParseTime(text), TimeSpan.TicksPerMillisecond);

    public static readonly Func<string, object> TimeMicros = static text => Truncate(ParseTime(text), 10);

    public static readonly Func<string, object> TimestampMillis = static text => Timestamp(text, unitMicros: 1000);

    public static readonly Func<string, object> TimestampMicros = static text => Timestamp(text, unitMicros: 1);

    /// <summary>timestamptz: the instant, at offset zero (Debezium converts to UTC).</summary>
    public static readonly Func<string, object> ZonedTimestamp = static text => text switch
    {
        "infinity" => ExtendedTemporal.PositiveInfinity(TemporalKind.ZonedTimestamp),
        "-infinity" => ExtendedTemporal.NegativeInfinity(TemporalKind.ZonedTimestamp),
        _ => EpochTime.FromEpochMicros(TemporalKind.ZonedTimestamp, ParseTimestampMicros(text, zoned: true)),
    };

    /// <summary>
    /// timetz as Debezium's ZonedTime string: shifted to UTC (wrapping around midnight), <c>HH:mm:ss</c>, the
    /// fraction without trailing zeros, then <c>Z</c> (<c>DateTimeFormatter.ISO_OFFSET_TIME</c>). The end-of-day
    /// boundary <c>24:00:00+00</c> stays <c>24:00:00Z</c>; any other 24:00 and offsets with seconds fail, as
    /// Debezium's OffsetTime parser does.
    /// </summary>
    public static readonly Func<string, object> ZonedTime = static text =>
    {
        var cursor = new TextCursor(text);
        var local = TimeOfDay(ref cursor);
        var offset = Offset(ref cursor, allowSeconds: false);
        cursor.ExpectEnd();
        if (local.Ticks == TimeSpan.TicksPerDay)
        {
            return offset == 0 ? "24:00:00Z" : throw new ValueDecodeError("24:00:00 with a non-zero offset has no UTC time of day");
        }

        var utc = (((local.Ticks - (offset * TimeSpan.TicksPerSecond)) % TimeSpan.TicksPerDay) + TimeSpan.TicksPerDay) % TimeSpan.TicksPerDay;
        return IsoTime(new TimeSpan(utc)) + "Z";
    };

    /// <summary><c>HH:mm:ss</c> plus the shortest fraction (none when zero), as Java's ISO_LOCAL_TIME prints.</summary>
    public static string IsoTime(TimeSpan time)
    {
        var text = time.ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture);
        var fraction = time.Ticks % TimeSpan.TicksPerSecond;
        return fraction == 0 ? text : text + "." + fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    private static object ParseDate(string text)
    {
        var cursor = new TextCursor(text);
        var date = ReadDate(ref cursor);
        var bc = Era(ref cursor);
        cursor.ExpectEnd();
        var days = EpochDays(date, bc);
        var dayNumber = days + EpochTime.UnixEpochDayNumber;
        return dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber
            ? ExtendedTemporal.FromEpochDays(days)
            : DateOnly.FromDayNumber((int)dayNumber);
    }

    // timestamp(0-3) and timestamp(4-6): microseconds truncated to the unit Debezium carries. Past Debezium's
    // infinity sentinels (294247-01-10) there is no Debezium number for the value.
    private static object Timestamp(string text, long unitMicros)
    {
        if (text is "infinity" or "-infinity")
        {
            return text[0] == '-' ? ExtendedTemporal.NegativeInfinity(TemporalKind.Timestamp) : ExtendedTemporal.PositiveInfinity(TemporalKind.Timestamp);
        }

        var micros = ParseTimestampMicros(text, zoned: false);
        micros -= ((micros % unitMicros) + unitMicros) % unitMicros;
        return micros >= EpochTime.PositiveInfinityMicros || micros <= EpochTime.NegativeInfinityMicros
            ? throw new ValueDecodeError("past Debezium's infinity sentinels, so no MicroTimestamp can carry it")
            : EpochTime.FromEpochMicros(TemporalKind.Timestamp, micros);
    }

    private static TimeSpan ParseTime(string text)
    {
        var cursor = new TextCursor(text);
        var time = TimeOfDay(ref cursor);
        cursor.ExpectEnd();
        return time;
    }

    // The local date-time, or for zoned text the UTC instant, in microseconds since 1970-01-01 00:00.
    private static long ParseTimestampMicros(string text, bool zoned)
    {
        var cursor = new TextCursor(text);
        var date = ReadDate(ref cursor);
        cursor.Expect(' ', "between date and time");
        var time = TimeOfDay(ref cursor);
        var offset = zoned ? Offset(ref cursor, allowSeconds: true) : 0;
        var bc = Era(ref cursor);
        cursor.ExpectEnd();
        if (time.Ticks >= TimeSpan.TicksPerDay)
        {
            throw new ValueDecodeError("time of day past 24:00:00");
        }

        try
        {
            return checked((EpochDays(date, bc) * MicrosPerDay) + (time.Ticks / 10) - (offset * 1_000_000));
        }
        catch (OverflowException)
        {
            throw new ValueDecodeError("past Debezium's infinity sentinels: no int64 of microseconds holds it");
        }
    }

    private static (long Year, int Month, int Day) ReadDate(ref TextCursor cursor)
    {
        var year = cursor.Digits(4, 9, "a year");
        cursor.Expect('-', "after the year");
        var month = (int)cursor.Digits(2, 2, "a month");
        cursor.Expect('-', "after the month");
        var day = (int)cursor.Digits(2, 2, "a day");
        return (year, month, day);
    }

    private static bool Era(ref TextCursor cursor) => cursor.TryConsume(" BC");

    // Year n BC is astronomical year 1 - n (there is no year 0 in PostgreSQL's text).
    private static long EpochDays((long Year, int Month, int Day) date, bool bc)
    {
        var year = bc ? 1 - date.Year : date.Year;
        return date.Year < 1 || !ProlepticCalendar.IsValid(year, date.Month, date.Day)
            ? throw new ValueDecodeError("year, month or day out of range")
            : ProlepticCalendar.DaysFromCivil(year, date.Month, date.Day);
    }

    // HH:MM:SS[.ffffff], up to 24:00:00 exactly.
    private static TimeSpan TimeOfDay(ref TextCursor cursor)
    {
        var hour = cursor.Digits(2, 2, "an hour");
        cursor.Expect(':', "after the hour");
        var minute = cursor.Digits(2, 2, "minutes");
        cursor.Expect(':', "after the minutes");
        var second = cursor.Digits(2, 2, "seconds");
        var fraction = cursor.FractionTicks();
        if (hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute != 0 || second != 0 || fraction != 0)))
        {
            throw new ValueDecodeError("time of day out of range");
        }

        return new TimeSpan((((hour * 60) + minute) * 60 + second) * TimeSpan.TicksPerSecond + fraction);
    }

    // ±HH[:MM[:SS]] in seconds east of UTC.
    private static long Offset(ref TextCursor cursor, bool allowSeconds)
    {
        var sign = cursor.TryConsume('+') ? 1 : cursor.TryConsume('-') ? -1 : throw new ValueDecodeError("expected a UTC offset");
        var seconds = cursor.Digits(2, 2, "offset hours") * 3600;
        if (cursor.TryConsume(':'))
        {
            seconds += cursor.Digits(2, 2, "offset minutes") * 60;
            if (cursor.TryConsume(':'))
            {
                if (!allowSeconds)
                {
                    throw new ValueDecodeError("an offset with seconds, which Debezium's OffsetTime parser rejects");
                }

                seconds += cursor.Digits(2, 2, "offset seconds");
            }
        }

        return sign * seconds;
    }

    private static TimeSpan Truncate(TimeSpan value, long unit) => new(Truncate(value.Ticks, unit));

    private static long Truncate(long ticks, long unit) => ticks - (ticks % unit);
}
