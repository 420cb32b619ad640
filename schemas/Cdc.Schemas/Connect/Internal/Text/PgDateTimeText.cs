using System.Globalization;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>
/// DateStyle=ISO output of date, time, timetz, timestamp and timestamptz. <c>infinity</c>/<c>-infinity</c> become the
/// .NET type's max/min value, as the decoders read Debezium's sentinels; BC and years past 9999 have no .NET value.
/// </summary>
internal static class PgDateTimeText
{
    public static readonly Func<string, object> Date = static text => text switch
    {
        "infinity" => DateOnly.MaxValue,
        "-infinity" => DateOnly.MinValue,
        _ => ParseDate(text),
    };

    public static readonly Func<string, object> TimeMillis = static text => Truncate(ParseTime(text), TimeSpan.TicksPerMillisecond);

    public static readonly Func<string, object> TimeMicros = static text => Truncate(ParseTime(text), 10);

    public static readonly Func<string, object> TimestampMillis = static text => text switch
    {
        "infinity" => DateTime.MaxValue,
        "-infinity" => DateTime.MinValue,
        _ => new DateTime(Truncate(ParseTimestamp(text, zoned: false).Ticks, TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified),
    };

    public static readonly Func<string, object> TimestampMicros = static text => text switch
    {
        "infinity" => DateTime.MaxValue,
        "-infinity" => DateTime.MinValue,
        _ => new DateTime(Truncate(ParseTimestamp(text, zoned: false).Ticks, 10), DateTimeKind.Unspecified),
    };

    /// <summary>timestamptz: the instant, at offset zero (Debezium converts to UTC).</summary>
    public static readonly Func<string, object> ZonedTimestamp = static text => text switch
    {
        "infinity" => DateTimeOffset.MaxValue,
        "-infinity" => DateTimeOffset.MinValue,
        _ => new DateTimeOffset(ParseTimestamp(text, zoned: true).Ticks, TimeSpan.Zero),
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

    private static DateOnly ParseDate(string text)
    {
        var cursor = new TextCursor(text);
        var date = ReadDate(ref cursor);
        var bc = Era(ref cursor);
        cursor.ExpectEnd();
        return ToDate(date, bc);
    }

    private static TimeSpan ParseTime(string text)
    {
        var cursor = new TextCursor(text);
        var time = TimeOfDay(ref cursor);
        cursor.ExpectEnd();
        return time;
    }

    // The local date-time, or for zoned text the UTC instant, as ticks of a DateTime.
    private static DateTime ParseTimestamp(string text, bool zoned)
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

        var ticks = ToDate(date, bc).DayNumber * TimeSpan.TicksPerDay + time.Ticks - (offset * TimeSpan.TicksPerSecond);
        return ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
            ? throw new ValueDecodeError("outside the range of DateTime (years 1 to 9999)")
            : new DateTime(ticks, DateTimeKind.Unspecified);
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

    private static DateOnly ToDate((long Year, int Month, int Day) date, bool bc)
    {
        if (bc || date.Year is < 1 or > 9999)
        {
            throw new ValueDecodeError(
                $"{date.Year}{(bc ? " BC" : "")} is outside the range of DateOnly/DateTime (years 1 to 9999), so no decoder can hold Debezium's value");
        }

        return date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth((int)date.Year, date.Month)
            ? throw new ValueDecodeError("month or day out of range")
            : new DateOnly((int)date.Year, date.Month, date.Day);
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
