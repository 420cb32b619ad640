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
        if (Scale <= 0)
        {
            return (Unscaled * BigInteger.Pow(10, -Scale)).ToString(CultureInfo.InvariantCulture);
        }

        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(Scale + 1, '0');
        var sign = Unscaled.Sign < 0 ? "-" : "";
        return $"{sign}{digits[..^Scale]}.{digits[^Scale..]}";
    }
}
