namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// Days since 1970-01-01 ⇄ (year, month, day) in the proleptic Gregorian calendar with astronomical years (year 0 is
/// 1 BC), which PostgreSQL (<c>date2j</c>) and Java's <c>java.time</c> (so Debezium) both use, over any range
/// (H. Hinnant's <c>days_from_civil</c> / <c>civil_from_days</c>). .NET's calendar types stop at years 1 and 9999.
/// </summary>
internal static class ProlepticCalendar
{
    public static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - (era * 400);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146_097) + dayOfEra - 719_468;
    }

    public static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719_468;
        var era = (days >= 0 ? days : days - 146_096) / 146_097;
        var dayOfEra = days - (era * 146_097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var shiftedMonth = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * shiftedMonth) + 2) / 5) + 1);
        var month = (int)(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        return (yearOfEra + (era * 400) + (month <= 2 ? 1 : 0), month, day);
    }

    public static bool IsValid(long year, int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DaysInMonth(year, month);

    private static int DaysInMonth(long year, int month) => month switch
    {
        2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Floor division (C# rounds towards zero).</summary>
    public static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return (value % divisor != 0) && ((value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }
}
