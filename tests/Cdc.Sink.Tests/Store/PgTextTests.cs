using System.Numerics;
using Cdc.Schemas.Connect;
using Cdc.Sink.Store;

namespace Cdc.Sink.Tests.Store;

public sealed class PgTextTests
{
    [Theory]
    [InlineData(true, "t")]
    [InlineData(42L, "42")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(0.1, "0.1")]
    public void Format_Scalars_UsePostgresInputSyntax(object value, string expected) =>
        Assert.Equal(expected, PgText.Format(value));

    [Fact]
    public void Format_ExactDecimalBeyondDecimalRange_KeepsEveryDigit() =>
        Assert.Equal("-123456789012345678901234567890.12", PgText.Format(new ExactDecimal(BigInteger.Parse("-12345678901234567890123456789012"), 2)));

    [Fact]
    public void Format_Timestamps_KeepMicroseconds()
    {
        Assert.Equal("2019-05-28 09:38:24.863769", PgText.Format(new DateTime(2019, 5, 28, 9, 38, 24).AddTicks(8637690)));
        Assert.Equal("2019-05-28 09:38:24.863769+00:00", PgText.Format(new DateTimeOffset(new DateTime(2019, 5, 28, 9, 38, 24).AddTicks(8637690), TimeSpan.Zero)));
    }

    [Fact]
    public void Format_TimeSpan_IsValidForTimeAndInterval()
    {
        Assert.Equal("13:45:07.000250", PgText.Format(new TimeSpan(0, 13, 45, 7).Add(TimeSpan.FromTicks(2500))));
        Assert.Equal("-36:00:00.000000", PgText.Format(TimeSpan.FromHours(-36)));
    }

    [Fact]
    public void Format_Bytes_IsHexEscape() => Assert.Equal("\\x00ff10", PgText.Format(new byte[] { 0, 255, 16 }));

    [Fact]
    public void Format_ArrayWithQuotesBackslashesAndNulls_IsQuotedArrayLiteral() =>
        Assert.Equal("{\"a\\\"b\",NULL,\"c\\\\d\",\"{}\"}", PgText.Format(new List<object?> { "a\"b", null, "c\\d", "{}" }));

    [Fact]
    public void Format_NestedArray_IsMultiDimensional() =>
        Assert.Equal("{{\"1\",\"2\"},{\"3\",\"4\"}}", PgText.Format(new List<object?> { new List<object?> { 1, 2 }, new List<object?> { 3, 4 } }));

    [Fact]
    public void RowKey_IsJsonArrayOfTexts() => Assert.Equal("[\"1\",\"a\\u0022b\"]", PgText.RowKey([1L, "a\"b"]));

    [Fact]
    public void Format_UnavailablePlaceholder_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => PgText.Format(Cdc.Schemas.Model.Unavailable.Value));
}
