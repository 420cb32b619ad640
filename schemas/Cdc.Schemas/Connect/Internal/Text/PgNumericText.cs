using System.Globalization;
using System.Numerics;
using System.Text;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>numeric and money text to <see cref="ExactDecimal"/>, as Debezium's precise decimal mode builds them.</summary>
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

    /// <summary>Unconstrained <c>numeric</c> (VariableScaleDecimal): trailing zeros stripped, scale at least 0.</summary>
    public static readonly Func<string, object> VariableScale = static text =>
    {
        var value = Parse(text);
        var unscaled = value.Unscaled;
        var scale = value.Scale;
        if (unscaled.IsZero)
        {
            return new ExactDecimal(BigInteger.Zero, 0);
        }

        while (scale > 0)
        {
            var quotient = BigInteger.DivRem(unscaled, 10, out var remainder);
            if (!remainder.IsZero)
            {
                break;
            }

            unscaled = quotient;
            scale--;
        }

        return scale < 0 ? new ExactDecimal(unscaled * BigInteger.Pow(10, -scale), 0) : new ExactDecimal(unscaled, scale);
    };

    /// <summary>
    /// money text (<c>$1,234.56</c>, <c>-$1,234.56</c>, <c>($1.00)</c>) as Debezium's PostgresMoney reads it: sign or
    /// parentheses, one currency character, group commas dropped; then rounded half-up to <c>money.fraction.digits</c>.
    /// </summary>
    public static object Money(string text, int scale)
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
        var value = Parse(negative ? "-" + digits : digits);
        return RoundHalfUp(value, scale);
    }

    private static ExactDecimal Parse(string text)
    {
        if (text is "NaN" or "Infinity" or "-Infinity")
        {
            throw new ValueDecodeError(
                $"numeric {text} has no value in decimal.handling.mode=precise (Debezium fails the connector on it)");
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
