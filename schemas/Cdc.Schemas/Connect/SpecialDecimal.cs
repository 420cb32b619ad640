namespace Cdc.Schemas.Connect;

/// <summary>
/// How <c>decimal.handling.mode=string</c> spells PostgreSQL's numeric <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>:
/// Debezium's <c>SpecialValueDecimal.toString()</c>, the enum constant's name (<c>NAN</c>, <c>POSITIVE_INFINITY</c>,
/// <c>NEGATIVE_INFINITY</c>). A sink turns them back into PostgreSQL's input for a numeric column.
/// </summary>
public static class SpecialDecimal
{
    public const string NaN = "NAN";
    public const string PositiveInfinity = "POSITIVE_INFINITY";
    public const string NegativeInfinity = "NEGATIVE_INFINITY";

    /// <summary>Debezium's name for PostgreSQL's output text of a special value; null for any other text.</summary>
    public static string? FromPostgres(string text) => text switch
    {
        "NaN" => NaN,
        "Infinity" => PositiveInfinity,
        "-Infinity" => NegativeInfinity,
        _ => null,
    };

    /// <summary>PostgreSQL's text for one of Debezium's names; null for any other text.</summary>
    public static string? ToPostgres(string text) => text switch
    {
        NaN => "NaN",
        PositiveInfinity => "Infinity",
        NegativeInfinity => "-Infinity",
        _ => null,
    };
}
