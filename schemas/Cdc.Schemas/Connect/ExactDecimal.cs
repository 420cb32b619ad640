using System.Globalization;
using System.Numerics;

namespace Cdc.Schemas.Connect;

/// <summary>
/// An exact decimal: unscaled integer and scale, as Connect's Decimal and Debezium's VariableScaleDecimal
/// carry it. Never converted through <see cref="double"/> (or <see cref="decimal"/>, which holds only 28 digits).
/// </summary>
public readonly record struct ExactDecimal(BigInteger Unscaled, int Scale)
{
    /// <summary>Plain decimal notation, e.g. <c>-123.45</c>, <c>0.001</c>, <c>1200</c> for scale -2.</summary>
    public override string ToString()
    {
        if (TryFormatSmall() is { } small)
        {
            return small;
        }

        if (Scale <= 0)
        {
            return (Unscaled * BigInteger.Pow(10, -Scale)).ToString(CultureInfo.InvariantCulture);
        }

        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(Scale + 1, '0');
        var sign = Unscaled.Sign < 0 ? "-" : "";
        return $"{sign}{digits[..^Scale]}.{digits[^Scale..]}";
    }

    /// <summary>
    /// The same text for the usual value (a positive scale up to 38, an unscaled value under 2^63 in magnitude), built in
    /// one string rather than through the digits, their padding and two slices.
    /// </summary>
    private string? TryFormatSmall()
    {
        if (Scale is <= 0 or > 38 || Unscaled.GetBitLength() >= 63)
        {
            return null;
        }

        var value = (long)Unscaled;
        var magnitude = value < 0 ? (ulong)-value : (ulong)value;
        Span<char> digits = stackalloc char[20];
        magnitude.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        var padded = Math.Max(count, Scale + 1);
        var whole = padded - Scale;
        Span<char> text = stackalloc char[padded + 2];
        var at = 0;
        if (value < 0)
        {
            text[at++] = '-';
        }

        // The digits right-aligned in padded places: zeros first, as PadLeft(Scale + 1, '0') gives.
        var number = text.Slice(at, padded + 1);
        var zeros = padded - count;
        for (var i = 0; i < padded; i++)
        {
            var c = i < zeros ? '0' : digits[i - zeros];
            number[i < whole ? i : i + 1] = c;
        }

        number[whole] = '.';
        return new string(text[..(at + padded + 1)]);
    }
}
