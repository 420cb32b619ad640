using System.Globalization;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>
/// <c>IntervalStyle=postgres</c> interval text (<c>1 year 2 mons -3 days +04:05:06.78</c>) to Debezium's
/// <c>io.debezium.time.MicroDuration</c>: pgjdbc's PGInterval fields, then <c>MicroDuration.durationMicros</c> with a
/// month of 365.25/12 days, in the same double arithmetic (so the same truncation) as the Java code.
/// </summary>
internal static class PgIntervalText
{
    private const double DaysPerMonthAverage = 365.25 / 12.0d;

    public static readonly Func<string, object> MicroDuration = static text =>
    {
        var (years, months, days, hours, minutes, seconds) = Fields(text);
        double numberOfDays = (((years * 12) + months) * DaysPerMonthAverage) + days;
        var numberOfSeconds = (((((numberOfDays * 24) + hours) * 60) + minutes) * 60) + seconds;
        return EpochTime.DurationFromMicros((long)(numberOfSeconds * 1e6));
    };

    // PGInterval.setValue for the postgres style: "<n> <unit>" pairs and one [-]h:mm:ss[.f] token.
    private static (int Years, int Months, int Days, int Hours, int Minutes, double Seconds) Fields(string text)
    {
        if (text.Length == 0 || text[0] is '@' or 'P')
        {
            throw new ValueDecodeError("expected IntervalStyle postgres text (SET IntervalStyle = postgres)");
        }

        int years = 0, months = 0, days = 0, hours = 0, minutes = 0;
        double seconds = 0;
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

                (hours, minutes, seconds) = Clock(token, colon);
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

        return (years, months, days, hours, minutes, RoundToMicros(seconds));
    }

    private static (int Hours, int Minutes, double Seconds) Clock(string token, int colon)
    {
        var negative = token[0] == '-';
        var start = negative ? 1 : 0;
        var second = token.IndexOf(':', colon + 1);
        if (second != colon + 3)
        {
            throw new ValueDecodeError($"expected h:mm:ss, got \"{token}\"");
        }

        var hours = Int(token[start..colon]);
        var minutes = Int(token[(colon + 1)..second]);
        var seconds = double.Parse(token.AsSpan(second + 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return negative ? (-hours, -minutes, -seconds) : (hours, minutes, seconds);
    }

    // PGInterval.setSeconds/getSeconds: Math.round(seconds * 1e6) split into whole seconds and micros, summed again.
    private static double RoundToMicros(double seconds)
    {
        var totalMicros = (long)Math.Floor((seconds * 1_000_000) + 0.5);
        var whole = totalMicros / 1_000_000;
        var micros = totalMicros % 1_000_000;
        return whole + ((double)micros / 1_000_000);
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
