using System.Text.RegularExpressions;

namespace Cdc.Capture.Source;

/// <summary>
/// A column's default as <c>pg_get_expr</c> prints it, read the way Debezium's <c>PostgresDefaultValueConverter</c> reads
/// it: a constant (<c>7</c>, <c>'abc'::text</c>, <c>'-5'::integer</c>, <c>true</c>) has a value, which goes into the
/// column's Connect schema as its <c>default</c>; anything else (<c>now()</c>, <c>nextval(...)</c>, an operator) is not
/// a constant and has none. PostgreSQL prints a constant through its type's output function, so the quoted text is the
/// value's text as pgoutput would send it.
/// </summary>
internal static partial class ColumnDefault
{
    /// <param name="expression"><c>pg_get_expr(adbin, adrelid)</c>, null when the column has no default.</param>
    /// <returns>
    /// <c>Constant</c>: the default gives every row the same value (no default, <c>NULL</c> and literals do);
    /// <c>Text</c>: that value's text, null for NULL.
    /// </returns>
    public static (bool Constant, string? Text) Parse(string? expression)
    {
        if (expression is null || NullLiteral().IsMatch(expression))
        {
            return (true, null);
        }

        if (QuotedLiteral().Match(expression) is { Success: true } quoted)
        {
            return (true, quoted.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal));
        }

        if (BareLiteral().Match(expression) is { Success: true } bare)
        {
            return (true, bare.Groups[1].Value switch
            {
                "true" => "t",
                "false" => "f",
                var number => number,
            });
        }

        return (false, null);
    }

    [GeneratedRegex(@"^NULL(::[a-z][a-z0-9_ .""]*(\([0-9, ]+\))?(\[\])*)?$")]
    private static partial Regex NullLiteral();

    [GeneratedRegex(@"^'((?:[^']|'')*)'::[a-z][a-z0-9_ .""]*(\([0-9, ]+\))?(\[\])*$")]
    private static partial Regex QuotedLiteral();

    [GeneratedRegex(@"^\(?(-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|true|false)\)?$")]
    private static partial Regex BareLiteral();
}
