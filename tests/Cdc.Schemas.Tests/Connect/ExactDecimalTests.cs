using System.Numerics;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Tests.Connect;

public class ExactDecimalTests
{
    [Theory]
    [InlineData("0", 0, "0")]
    [InlineData("0", 2, "0.00")]
    [InlineData("5", 3, "0.005")]
    [InlineData("-5", 3, "-0.005")]
    [InlineData("-12345", 2, "-123.45")]
    [InlineData("12345", 5, "0.12345")]
    [InlineData("-12345", 5, "-0.12345")]
    [InlineData("12", -2, "1200")]
    [InlineData("-12", -2, "-1200")]
    [InlineData("1", 0, "1")]
    [InlineData("100", 2, "1.00")]
    [InlineData("1234567890123456789012345678901234567890", 5, "12345678901234567890123456789012345.67890")]
    [InlineData("-99999999999999999999999999999999999999999", 40, "-9.9999999999999999999999999999999999999999")]
    [InlineData("4611686018427387903", 3, "4611686018427387.903")]
    [InlineData("-4611686018427387904", 1, "-461168601842738790.4")]
    [InlineData("9223372036854775807", 2, "92233720368547758.07")]
    [InlineData("-9223372036854775808", 19, "-0.9223372036854775808")]
    [InlineData("7", 38, "0.00000000000000000000000000000000000007")]
    [InlineData("-7", 39, "-0.000000000000000000000000000000000000007")]
    [InlineData("123", 1, "12.3")]
    public void ToString_PlainNotation(string unscaled, int scale, string expected)
    {
        Assert.Equal(expected, new ExactDecimal(BigInteger.Parse(unscaled), scale).ToString());
    }

    [Fact]
    public void Equality_SameValueDifferentScale_NotEqual()
    {
        Assert.NotEqual(new ExactDecimal(150, 2), new ExactDecimal(15, 1));
        Assert.Equal(new ExactDecimal(150, 2), new ExactDecimal(new BigInteger(150), 2));
    }
}
