using System.Globalization;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>
/// <c>IntervalStyle=postgres</c> interval text (<c>1 year 2 mons -3 days +04:05:06.78</c>) to Debezium's interval forms,
/// from pgjdbc's PGInterval fields: <c>io.debezium.time.MicroDuration</c> (<c>MicroDuration.durationMicros</c> with a
/// month of 365.25/12 days, in the same double arithmetic, so the same truncation, as the Java code) or
/// <c>io.debezium.time.Interval</c> (<c>Interval.toIsoString</c>: <c>P1Y2M3DT4H5M6.78S</c>, exact).
/// </summary>
internal static class PgIntervalText
{
    private const double DaysPerMonthAverage = 365.25 / 12.0d;
    private const long MicrosPerSecond = 1_000_000;
    private const long MicrosPerMinute = 60 * MicrosPerSecond;
    private const long MicrosPerHour = 60 * MicrosPerMinute;

    public static readonly Func<string, object> MicroDuration = static text =>
    {
        var (years, months, days, clock) = Fields(text);
        var hours = (double)(clock / MicrosPerHour);
        var minutes = (double)(clock / MicrosPerMinute % 60);
        var seconds = RoundToMicros(clock % MicrosPerMinute);
        double numberOfDays = (((years * 12) + months) * DaysPerMonthAverage) + days;
        var numberOfSeconds = (((((numberOfDays * 24) + hours) * 60) + minutes) * 60) + seconds;
        return EpochTime.DurationFromMicros((long)(numberOfSeconds * 1e6));
    };

    /// <summary>
    /// <c>interval.handling.mode=string</c>: <c>P{years}Y{months}M{days}DT{hours}H{minutes}M{seconds}S</c>, each field
    /// with the sign PostgreSQL printed, seconds as <c>BigDecimal.stripTrailingZeros().toPlainString()</c> of
    /// PGInterval's seconds (exact: they have at most eight significant digits).
    /// </summary>
    public static readonly Func<string, object> Iso = static text =>
    {
        var (years, months, days, clock) = Fields(text);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"P{years}Y{months}M{days}DT{clock / MicrosPerHour}H{clock / MicrosPerMinute % 60}M{Seconds(clock % MicrosPerMinute)}S");
    };

    // PGInterval.setValue for the postgres style: "<n> <unit>" pairs and one [-]h:mm:ss[.f] token (the clock, in µs).
    private static (int Years, int Months, int Days, long Clock) Fields(string text)
    {
        if (text.Length == 0 || text[0] is '@' or 'P')
        {
            throw new ValueDecodeError("expected IntervalStyle postgres text (SET IntervalStyle = postgres)");
        }

        int years = 0, months = 0, days = 0;
        long clock = 0;
        string? number = null;
        var tokens = text.Replace('+', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (i % 2 == 0)
            {
                var colon = token.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    number = token;
                    continue;
                }

                clock = Clock(token, colon);
                number = null;
                continue;
            }

            if (number is null)
            {
                throw new ValueDecodeError($"unit \"{token}\" without a number");
            }

            if (token.StartsWith("year", StringComparison.Ordinal))
            {
                years = Int(number);
            }
            else if (token.StartsWith("mon", StringComparison.Ordinal))
            {
                months = Int(number);
            }
            else if (token.StartsWith("day", StringComparison.Ordinal))
            {
                days = Int(number);
            }
            else
            {
                throw new ValueDecodeError($"unexpected interval unit \"{token}\"");
            }
        }

        return (years, months, days, clock);
    }

    // [-]h:mm:ss[.ffffff] in microseconds; h may exceed 24 (PostgreSQL never folds hours into days).
    private static long Clock(string token, int colon)
    {
        var negative = token[0] == '-';
        var start = negative ? 1 : 0;
        var second = token.IndexOf(':', colon + 1);
        if (second != colon + 3)
        {
            throw new ValueDecodeError($"expected h:mm:ss, got \"{token}\"");
        }

        var seconds = token.AsSpan(second + 1);
        var dot = seconds.IndexOf('.');
        long fraction = 0;
        if (dot >= 0)
        {
            var digits = seconds[(dot + 1)..];
            if (digits.Length is 0 or > 6 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out fraction))
            {
                throw new ValueDecodeError($"expected up to six fraction digits, got \"{token}\"");
            }

            for (var i = digits.Length; i < 6; i++)
            {
                fraction *= 10;
            }
        }

        // Summed with the sign applied, so the most negative interval (-2562047788:00:54.775808) does not overflow.
        var sign = negative ? -1 : 1;
        return checked(
            (sign * Long(token.AsSpan(start, colon - start)) * MicrosPerHour) +
            (sign * Long(token.AsSpan(colon + 1, 2)) * MicrosPerMinute) +
            (sign * Long(dot < 0 ? seconds : seconds[..dot]) * MicrosPerSecond) +
            (sign * fraction));
    }

    // PGInterval.setSeconds/getSeconds: whole seconds plus micros / 1e6, as a double.
    private static double RoundToMicros(long micros) => (micros / MicrosPerSecond) + ((double)(micros % MicrosPerSecond) / MicrosPerSecond);

    // BigDecimal.stripTrailingZeros().toPlainString() of the seconds: "6.78", "-4.5", "0", "59".
    private static string Seconds(long micros)
    {
        var sign = micros < 0 ? "-" : "";
        var magnitude = Math.Abs(micros);
        var whole = (magnitude / MicrosPerSecond).ToString(CultureInfo.InvariantCulture);
        var fraction = (magnitude % MicrosPerSecond).ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0');
        return magnitude == 0 ? "0" : fraction.Length == 0 ? sign + whole : $"{sign}{whole}.{fraction}";
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static long Long(ReadOnlySpan<char> text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new ValueDecodeError($"expected digits, got \"{text}\"");
}
