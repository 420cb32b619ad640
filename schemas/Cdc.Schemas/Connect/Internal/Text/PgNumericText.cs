using System.Globalization;
using System.Numerics;
using System.Text;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>numeric and money text to the values each of Debezium's decimal modes builds from them.</summary>
internal static class PgNumericText
{
    public static int ScaleOf(ConnectSchema schema) =>
        int.TryParse(schema.Parameter(ConnectLogicalNames.ScaleParameter), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var scale)
            ? scale
            : throw new ArgumentException($"{ConnectLogicalNames.Decimal} schema without a valid scale", nameof(schema));

    /// <summary><c>numeric(p,s)</c>: the value at scale s (BigDecimal.setScale without rounding: more digits fail, as in Debezium).</summary>
    public static object Fixed(string text, int scale)
    {
        var value = DecimalText.Rescale(Parse(text), scale);
        return value.Scale == scale ? value : throw new ValueDecodeError($"{text} has more than {scale} fraction digits");
    }

    /// <summary>
    /// Unconstrained <c>numeric</c> (VariableScaleDecimal) at the scale PostgreSQL printed it, trailing zeros kept
    /// (<c>1.50</c> stays scale 2), so the store holds the primary's text. Debezium's precise mode strips trailing zeros
    /// here; its string mode keeps them (docs/design.md#type-mapping).
    /// </summary>
    public static readonly Func<string, object> VariableScale = static text => Parse(text);

    /// <summary>
    /// <c>decimal.handling.mode=string</c>: <c>BigDecimal.toPlainString()</c> of the value, which is PostgreSQL's text
    /// (plain notation, the column's scale); <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> as Debezium's
    /// <c>SpecialValueDecimal</c> names them.
    /// </summary>
    public static readonly Func<string, object> DecimalString = static text =>
        SpecialDecimal.FromPostgres(text) is { } special ? special : Parse(text).ToString();

    /// <summary><c>decimal.handling.mode=double</c>: <c>BigDecimal.doubleValue()</c>; NaN and the infinities as doubles.</summary>
    public static readonly Func<string, object> DecimalDouble = static text => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(Parse(text).ToString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
    };

    /// <summary>money in string mode: <c>PostgresMoney.parse(text).toPlainString()</c>, not rounded.</summary>
    public static object MoneyString(string text) => MoneyValue(text).ToString();

    /// <summary>money in double mode.</summary>
    public static object MoneyDouble(string text) =>
        double.Parse(MoneyValue(text).ToString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>
    /// money text (<c>$1,234.56</c>, <c>-$1,234.56</c>, <c>($1.00)</c>) as Debezium's PostgresMoney reads it: sign or
    /// parentheses, one currency character, group commas dropped; then rounded half-up to <c>money.fraction.digits</c>.
    /// </summary>
    public static object Money(string text, int scale) => RoundHalfUp(MoneyValue(text), scale);

    private static ExactDecimal MoneyValue(string text)
    {
        var span = text.AsSpan();
        var negative = span.Length > 0 && span[0] is '-' or '(';
        if (span.Length > 0 && span[0] == '-')
        {
            span = span[1..];
        }
        else if (span.Length > 1 && span[0] == '(' && span[^1] == ')')
        {
            span = span[1..^1];
        }

        if (span.Length > 0 && !char.IsAsciiDigit(span[0]) && span[0] != '.')
        {
            span = span[1..];
        }

        var digits = span.ToString().Replace(",", "", StringComparison.Ordinal);
        return Parse(negative ? "-" + digits : digits);
    }

    private static ExactDecimal Parse(string text)
    {
        if (text is "NaN" or "Infinity" or "-Infinity")
        {
            throw new ValueDecodeError(
                $"numeric {text} has no value in decimal.handling.mode=precise (Debezium fails the connector on it; decimal.handling.mode=string carries it)");
        }

        return DecimalText.TryParse(Encoding.ASCII.GetBytes(text), out var value) && text.Length > 0
            ? value
            : throw new ValueDecodeError("not a decimal number");
    }

    private static ExactDecimal RoundHalfUp(ExactDecimal value, int scale)
    {
        if (value.Scale <= scale)
        {
            return DecimalText.Rescale(value, scale);
        }

        var divisor = BigInteger.Pow(10, value.Scale - scale);
        var quotient = BigInteger.DivRem(BigInteger.Abs(value.Unscaled), divisor, out var remainder);
        if (remainder * 2 >= divisor)
        {
            quotient += 1;
        }

        return new ExactDecimal(value.Unscaled.Sign < 0 ? -quotient : quotient, scale);
    }
}
