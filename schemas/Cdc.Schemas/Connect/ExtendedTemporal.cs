using System.Globalization;
using System.Text;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Connect;

/// <summary>
/// A <c>date</c>, <c>timestamp</c> or <c>timestamptz</c> value that <see cref="DateOnly"/>, <see cref="DateTime"/> and
/// <see cref="DateTimeOffset"/> cannot hold: PostgreSQL's <c>infinity</c> and <c>-infinity</c>, a BC date, or a year
/// after 9999. Values of years 1 to 9999 are always the .NET types, so <c>0001-01-01</c> is
/// <see cref="DateOnly.MinValue"/> and never stands for <c>-infinity</c> (docs/design.md#temporal-values).
/// Exact: days since 1970-01-01 for a date, microseconds since 1970-01-01 00:00 (UTC for timestamptz) otherwise, in
/// the proleptic Gregorian calendar that PostgreSQL and Java's <c>java.time</c> (so Debezium) both use.
/// </summary>
public readonly record struct ExtendedTemporal
{
    private const long MicrosPerDay = 86_400_000_000;

    private ExtendedTemporal(TemporalKind kind, long epochValue, int infinity)
    {
        Kind = kind;
        EpochValue = epochValue;
        Infinity = infinity;
    }

    public TemporalKind Kind { get; }

    /// <summary>Days (<see cref="TemporalKind.Date"/>) or microseconds since 1970-01-01; 0 for an infinity.</summary>
    public long EpochValue { get; }

    /// <summary>+1 for <c>infinity</c>, -1 for <c>-infinity</c>, 0 for a finite value.</summary>
    public int Infinity { get; }

    public bool IsInfinity => Infinity != 0;

    public static ExtendedTemporal PositiveInfinity(TemporalKind kind) => new(kind, 0, 1);

    public static ExtendedTemporal NegativeInfinity(TemporalKind kind) => new(kind, 0, -1);

    public static ExtendedTemporal FromEpochDays(long days) => new(TemporalKind.Date, days, 0);

    /// <exception cref="ArgumentException"><paramref name="kind"/> is <see cref="TemporalKind.Date"/>.</exception>
    public static ExtendedTemporal FromEpochMicros(TemporalKind kind, long micros) =>
        kind == TemporalKind.Date ? throw new ArgumentException("a date counts days", nameof(kind)) : new(kind, micros, 0);

    /// <summary>
    /// PostgreSQL's output text with <c>DateStyle=ISO</c> (a timestamptz at UTC): <c>0044-03-15 BC</c>,
    /// <c>21016-11-04 13:51:30.123456</c>, <c>4714-11-24 00:00:00+00 BC</c>, <c>infinity</c>. Also valid input.
    /// </summary>
    public override string ToString()
    {
        if (IsInfinity)
        {
            return Infinity > 0 ? "infinity" : "-infinity";
        }

        var (days, micros) = Split();
        var (year, month, day) = ProlepticCalendar.CivilFromDays(days);
        var bc = year <= 0;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(bc ? 1 - year : year):D4}-{month:D2}-{day:D2}");
        if (Kind != TemporalKind.Date)
        {
            text.Append(' ');
            AppendTime(text, micros);
            if (Kind == TemporalKind.ZonedTimestamp)
            {
                text.Append("+00");
            }
        }

        return bc ? text.Append(" BC").ToString() : text.ToString();
    }

    /// <summary>
    /// Java's <c>ISO_OFFSET_DATE_TIME</c> of the instant at UTC, as Debezium's ZonedTimestamp carries it: an
    /// astronomical year with <c>-</c> before year 1 (<c>-4713-12-31T23:59:59.999999Z</c> is 4714 BC) and <c>+</c> past
    /// 9999, the fraction without trailing zeros; <c>infinity</c>/<c>-infinity</c> as PostgreSQL spells them.
    /// </summary>
    public string ToIsoString()
    {
        if (IsInfinity)
        {
            return Infinity > 0 ? "infinity" : "-infinity";
        }

        var (days, micros) = Split();
        var (year, month, day) = ProlepticCalendar.CivilFromDays(days);
        var text = new StringBuilder();
        if (year < 0)
        {
            text.Append('-');
        }
        else if (year > 9999)
        {
            text.Append('+');
        }

        text.Append(CultureInfo.InvariantCulture, $"{Math.Abs(year):D4}-{month:D2}-{day:D2}");
        if (Kind != TemporalKind.Date)
        {
            text.Append('T');
            AppendTime(text, micros);
            text.Append('Z');
        }

        return text.ToString();
    }

    private (long Days, long MicrosOfDay) Split()
    {
        if (Kind == TemporalKind.Date)
        {
            return (EpochValue, 0);
        }

        var days = ProlepticCalendar.FloorDiv(EpochValue, MicrosPerDay);
        return (days, EpochValue - (days * MicrosPerDay));
    }

    private static void AppendTime(StringBuilder text, long micros)
    {
        var seconds = micros / 1_000_000;
        text.Append(CultureInfo.InvariantCulture, $"{seconds / 3600:D2}:{seconds / 60 % 60:D2}:{seconds % 60:D2}");
        var fraction = micros % 1_000_000;
        if (fraction != 0)
        {
            text.Append('.').Append(fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
        }
    }
}
