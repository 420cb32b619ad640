using System.Numerics;

namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// Parses a decimal written as text (<c>-123.45</c>, <c>1.2E+3</c>) exactly, as JsonConverter's
/// <c>decimal.format=NUMERIC</c> and numeric strings carry it.
/// </summary>
internal static class DecimalText
{
    // PostgreSQL numeric holds at most 131072 digits before and 16383 after the point.
    private const int MaxAbsoluteScale = 200_000;
    private const int MaxRescale = 20_000;

    public static bool TryParse(ReadOnlySpan<byte> text, out ExactDecimal value)
    {
        value = default;
        var p = 0;
        var negative = false;
        if (p < text.Length && (text[p] == '-' || text[p] == '+'))
        {
            negative = text[p] == '-';
            p++;
        }

        var intStart = p;
        while (p < text.Length && IsDigit(text[p]))
        {
            p++;
        }

        var intDigits = text[intStart..p];
        var fracDigits = ReadOnlySpan<byte>.Empty;
        if (p < text.Length && text[p] == '.')
        {
            p++;
            var fracStart = p;
            while (p < text.Length && IsDigit(text[p]))
            {
                p++;
            }

            fracDigits = text[fracStart..p];
        }

        if (intDigits.IsEmpty && fracDigits.IsEmpty)
        {
            return false;
        }

        long exponent = 0;
        if (p < text.Length && (text[p] == 'e' || text[p] == 'E'))
        {
            p++;
            var expNegative = false;
            if (p < text.Length && (text[p] == '-' || text[p] == '+'))
            {
                expNegative = text[p] == '-';
                p++;
            }

            var expStart = p;
            while (p < text.Length && IsDigit(text[p]))
            {
                if (exponent > MaxAbsoluteScale)
                {
                    return false;
                }

                exponent = (exponent * 10) + (text[p] - '0');
                p++;
            }

            if (p == expStart)
            {
                return false;
            }

            exponent = expNegative ? -exponent : exponent;
        }

        if (p != text.Length)
        {
            return false;
        }

        var scale = fracDigits.Length - exponent;
        if (scale > MaxAbsoluteScale || scale < -MaxAbsoluteScale)
        {
            return false;
        }

        var unscaled = ParseDigits(intDigits, fracDigits);
        value = new ExactDecimal(negative ? -unscaled : unscaled, (int)scale);
        return true;
    }

    /// <summary>
    /// Brings <paramref name="value"/> to <paramref name="targetScale"/> when that loses no digit, so numbers
    /// and base64 decimals of the same column compare equal; otherwise keeps the exact value.
    /// </summary>
    public static ExactDecimal Rescale(ExactDecimal value, int targetScale)
    {
        if (value.Scale == targetScale)
        {
            return value;
        }

        if (value.Scale < targetScale)
        {
            return targetScale - value.Scale > MaxRescale
                ? value
                : new ExactDecimal(value.Unscaled * BigInteger.Pow(10, targetScale - value.Scale), targetScale);
        }

        if (value.Scale - targetScale > MaxRescale)
        {
            return value;
        }

        var divisor = BigInteger.Pow(10, value.Scale - targetScale);
        var quotient = BigInteger.DivRem(value.Unscaled, divisor, out var remainder);
        return remainder.IsZero ? new ExactDecimal(quotient, targetScale) : value;
    }

    private static BigInteger ParseDigits(ReadOnlySpan<byte> intDigits, ReadOnlySpan<byte> fracDigits)
    {
        var total = intDigits.Length + fracDigits.Length;
        if (total <= 18)
        {
            long small = 0;
            foreach (var c in intDigits)
            {
                small = (small * 10) + (c - '0');
            }

            foreach (var c in fracDigits)
            {
                small = (small * 10) + (c - '0');
            }

            return small;
        }

        Span<char> chars = total <= 512 ? stackalloc char[total] : new char[total];
        for (var i = 0; i < intDigits.Length; i++)
        {
            chars[i] = (char)intDigits[i];
        }

        for (var i = 0; i < fracDigits.Length; i++)
        {
            chars[intDigits.Length + i] = (char)fracDigits[i];
        }

        return BigInteger.Parse(chars, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';
}
