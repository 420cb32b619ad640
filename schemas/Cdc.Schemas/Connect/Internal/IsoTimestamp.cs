namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// Parses <c>io.debezium.time.ZonedTimestamp</c> text: ISO-8601 <c>[±]yyyy-MM-ddTHH:mm[:ss[.f…]]</c> followed by
/// <c>Z</c> or an offset (<c>±HH</c>, <c>±HH:MM</c>, <c>±HHMM</c>, <c>±HH:MM:SS</c>). The year is Java's: at least four
/// digits, astronomical (<c>-4713</c> is 4714 BC), <c>+</c> before more than four. The fraction has 0–9 digits
/// (Debezium trims trailing zeros unless the column declares a precision); digits beyond 100 ns are truncated.
/// Years 1 to 9999 give a <see cref="DateTimeOffset"/>; other instants and PostgreSQL's <c>infinity</c>/<c>-infinity</c>
/// an <see cref="ExtendedTemporal"/> (docs/design.md#temporal-values).
/// </summary>
internal static class IsoTimestamp
{
    public static bool TryParse(ReadOnlySpan<byte> text, out object value, out string? problem)
    {
        value = default(DateTimeOffset);
        problem = null;
        if (text.SequenceEqual("infinity"u8))
        {
            value = ExtendedTemporal.PositiveInfinity(TemporalKind.ZonedTimestamp);
            return true;
        }

        if (text.SequenceEqual("-infinity"u8))
        {
            value = ExtendedTemporal.NegativeInfinity(TemporalKind.ZonedTimestamp);
            return true;
        }

        var p = 0;
        var yearSign = 1;
        if (p < text.Length && (text[p] == '-' || text[p] == '+'))
        {
            yearSign = text[p] == '-' ? -1 : 1;
            p++;
        }

        if (!Year(text, ref p, out var year) || !Literal(text, ref p, (byte)'-') ||
            !Digits(text, ref p, 2, out var month) || !Literal(text, ref p, (byte)'-') ||
            !Digits(text, ref p, 2, out var day))
        {
            return Fail("expected an ISO-8601 date yyyy-MM-dd", out problem);
        }

        year *= yearSign;
        if (p >= text.Length || (text[p] != 'T' && text[p] != 't' && text[p] != ' '))
        {
            return Fail("expected 'T' between date and time", out problem);
        }

        p++;
        if (!Digits(text, ref p, 2, out var hour) || !Literal(text, ref p, (byte)':') || !Digits(text, ref p, 2, out var minute))
        {
            return Fail("expected a time HH:mm", out problem);
        }

        var second = 0;
        long fractionTicks = 0;
        if (p < text.Length && text[p] == ':')
        {
            p++;
            if (!Digits(text, ref p, 2, out second))
            {
                return Fail("expected two digits of seconds", out problem);
            }

            if (p < text.Length && (text[p] == '.' || text[p] == ','))
            {
                p++;
                var start = p;
                long scale = TimeSpan.TicksPerSecond;
                while (p < text.Length && IsDigit(text[p]))
                {
                    if (scale > 1)
                    {
                        scale /= 10;
                        fractionTicks += (text[p] - '0') * scale;
                    }

                    p++;
                }

                if (p == start)
                {
                    return Fail("expected digits after the decimal point", out problem);
                }
            }
        }

        if (!TryParseOffset(text[p..], out var offsetSeconds))
        {
            return Fail("expected 'Z' or a UTC offset such as +01:00", out problem);
        }

        if (!ProlepticCalendar.IsValid(year, month, day) || hour > 23 || minute > 59 || second > 59)
        {
            return Fail("date or time field out of range", out problem);
        }

        var localSeconds = (ProlepticCalendar.DaysFromCivil(year, month, day) * 86_400) + (hour * 3600) + (minute * 60) + second;
        var utcMicros = ((localSeconds - offsetSeconds) * 1_000_000) + (fractionTicks / 10);
        if (year is < 1 or > 9999)
        {
            value = ExtendedTemporal.FromEpochMicros(TemporalKind.ZonedTimestamp, utcMicros);
            return true;
        }

        var localTicks = new DateTime((int)year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utcTicks = localTicks - (offsetSeconds * TimeSpan.TicksPerSecond);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            value = ExtendedTemporal.FromEpochMicros(TemporalKind.ZonedTimestamp, utcMicros);
            return true;
        }

        // DateTimeOffset holds whole-minute offsets up to ±14h; anything else is kept as its UTC instant.
        value = offsetSeconds % 60 == 0 && Math.Abs(offsetSeconds) <= 14 * 3600
            ? new DateTimeOffset(localTicks, TimeSpan.FromSeconds(offsetSeconds))
            : new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    // Four or more digits (Java pads to four and prints up to ten).
    private static bool Year(ReadOnlySpan<byte> text, ref int p, out long year)
    {
        year = 0;
        var start = p;
        while (p < text.Length && IsDigit(text[p]) && p - start < 10)
        {
            year = (year * 10) + (text[p] - '0');
            p++;
        }

        return p - start >= 4;
    }

    private static bool TryParseOffset(ReadOnlySpan<byte> text, out int seconds)
    {
        seconds = 0;
        if (text.Length == 1 && (text[0] == 'Z' || text[0] == 'z'))
        {
            return true;
        }

        if (text.Length < 3 || (text[0] != '+' && text[0] != '-'))
        {
            return false;
        }

        var sign = text[0] == '-' ? -1 : 1;
        var p = 1;
        if (!Digits(text, ref p, 2, out var hours) || hours > 18)
        {
            return false;
        }

        int minutes = 0, secs = 0;
        if (p < text.Length)
        {
            var colon = text[p] == ':';
            if (colon)
            {
                p++;
            }

            if (!Digits(text, ref p, 2, out minutes) || minutes > 59)
            {
                return false;
            }

            if (p < text.Length)
            {
                if (colon && !Literal(text, ref p, (byte)':'))
                {
                    return false;
                }

                if (!Digits(text, ref p, 2, out secs) || secs > 59)
                {
                    return false;
                }
            }
        }

        seconds = sign * ((hours * 3600) + (minutes * 60) + secs);
        return p == text.Length;
    }

    private static bool Digits(ReadOnlySpan<byte> text, ref int p, int count, out int value)
    {
        value = 0;
        if (p + count > text.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var c = text[p + i];
            if (!IsDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        p += count;
        return true;
    }

    private static bool Literal(ReadOnlySpan<byte> text, ref int p, byte expected)
    {
        if (p >= text.Length || text[p] != expected)
        {
            return false;
        }

        p++;
        return true;
    }

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private static bool Fail(string message, out string? problem)
    {
        problem = message;
        return false;
    }
}
