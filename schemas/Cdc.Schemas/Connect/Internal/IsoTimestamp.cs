namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// Parses <c>io.debezium.time.ZonedTimestamp</c> text: ISO-8601 <c>yyyy-MM-ddTHH:mm[:ss[.f…]]</c> followed by
/// <c>Z</c> or an offset (<c>±HH</c>, <c>±HH:MM</c>, <c>±HHMM</c>, <c>±HH:MM:SS</c>). The fraction has 0–9 digits
/// (Debezium trims trailing zeros unless the column declares a precision); digits beyond 100 ns are truncated.
/// PostgreSQL's <c>infinity</c>/<c>-infinity</c> map to <see cref="DateTimeOffset.MaxValue"/>/<see cref="DateTimeOffset.MinValue"/>.
/// </summary>
internal static class IsoTimestamp
{
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value, out string? problem)
    {
        value = default;
        problem = null;
        if (text.SequenceEqual("infinity"u8))
        {
            value = DateTimeOffset.MaxValue;
            return true;
        }

        if (text.SequenceEqual("-infinity"u8))
        {
            value = DateTimeOffset.MinValue;
            return true;
        }

        var p = 0;
        if (!Digits(text, ref p, 4, out var year) || !Literal(text, ref p, (byte)'-') ||
            !Digits(text, ref p, 2, out var month) || !Literal(text, ref p, (byte)'-') ||
            !Digits(text, ref p, 2, out var day))
        {
            return Fail("expected an ISO-8601 date yyyy-MM-dd", out problem);
        }

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

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || year < 1 ||
            hour > 23 || minute > 59 || second > 59)
        {
            return Fail("date or time field out of range", out problem);
        }

        var localTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utcTicks = localTicks - (offsetSeconds * TimeSpan.TicksPerSecond);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return Fail("the instant is outside the range of DateTimeOffset", out problem);
        }

        // DateTimeOffset holds whole-minute offsets up to ±14h; anything else is kept as its UTC instant.
        value = offsetSeconds % 60 == 0 && Math.Abs(offsetSeconds) <= 14 * 3600
            ? new DateTimeOffset(localTicks, TimeSpan.FromSeconds(offsetSeconds))
            : new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
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
