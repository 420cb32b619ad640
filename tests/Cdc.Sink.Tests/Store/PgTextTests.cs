using System.Numerics;
using Cdc.Schemas.Connect;
using Cdc.Sink.Planning;

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

    [Theory]
    [InlineData(42L, "abc-1")]
    [InlineData(-7L, "2024-01-01 10:00:00.000000+00:00")]
    [InlineData(1L, "tab\there")]
    [InlineData(1L, "ünïcode")]
    [InlineData(1L, "<&'+>")]
    [InlineData(1L, null)]
    public void RowKey_SameTextAsTheJsonSerializer(long id, string? text) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(new[] { PgText.Format(id), text }), PgText.RowKey([id, text]));

    [Fact]
    public void RowKey_IsJsonArrayOfTexts() => Assert.Equal("[\"1\",\"a\\u0022b\"]", PgText.RowKey([1L, "a\"b"]));

    [Fact]
    public void Format_UnavailablePlaceholder_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => PgText.Format(Cdc.Schemas.Model.Unavailable.Value));

    [Theory]
    [InlineData("hstore")]
    [InlineData("public.hstore")]
    [InlineData("\"public\".\"hstore\"")]
    public void ForColumn_HstoreFromDebeziumJsonText_IsHstoreSyntax(string pgType) =>
        Assert.Equal(
            "\"a\"=>\"1\", \"b\"=>NULL, \"q\\\"k\"=>\"back\\\\slash\"",
            PgText.ForColumn(pgType)("""{"a":"1","b":null,"q\"k":"back\\slash"}"""));

    [Fact]
    public void ForColumn_HstoreFromMap_IsHstoreSyntax() =>
        Assert.Equal(
            "\"a\"=>\"1\", \"b\"=>NULL",
            PgText.ForColumn("hstore")(new KeyValuePair<object?, object?>[] { new("a", "1"), new("b", null) }));

    [Fact]
    public void ForColumn_HstoreEmptyObjectOrNotJson_EmptyOrPassedThrough()
    {
        var format = PgText.ForColumn("hstore");

        Assert.Equal("", format("{}"));
        Assert.Equal("\"k\"=>\"v\"", format("\"k\"=>\"v\""));
        Assert.Equal("{not json", format("{not json"));
        Assert.Null(format(null));
    }

    [Fact]
    public void ForColumn_HstoreArray_EachElementInHstoreSyntax() =>
        Assert.Equal(
            "{\"\\\"a\\\"=>\\\"1\\\"\",NULL}",
            PgText.ForColumn("hstore[]")(new List<object?> { """{"a":"1"}""", null }));

    [Theory]
    [InlineData("bit(1)", true, "1")]
    [InlineData("bit(1)", false, "0")]
    [InlineData("bit varying(1)", true, "1")]
    [InlineData("boolean", true, "t")]
    public void ForColumn_BooleanDebeziumSendsForBit1_IsBitSyntaxInBitColumns(string pgType, bool value, string expected) =>
        Assert.Equal(expected, PgText.ForColumn(pgType)(value));

    [Fact]
    public void ForColumn_BitArrayOfBooleans_IsBitArray() =>
        Assert.Equal("{\"1\",NULL,\"0\"}", PgText.ForColumn("bit(1)[]")(new List<object?> { true, null, false }));

    [Theory]
    [InlineData("jsonb")]
    [InlineData("text")]
    [InlineData("character varying(20)")]
    public void ForColumn_OtherTypes_FormatUnchanged(string pgType) =>
        Assert.Equal("""{"a":"1"}""", PgText.ForColumn(pgType)("""{"a":"1"}"""));

    [Theory]
    [InlineData("numeric", "NAN", "NaN")]
    [InlineData("numeric(10,2)", "POSITIVE_INFINITY", "Infinity")]
    [InlineData("decimal", "NEGATIVE_INFINITY", "-Infinity")]
    [InlineData("numeric", "1234567890123451.234567890", "1234567890123451.234567890")]
    [InlineData("text", "NAN", "NAN")]
    public void ForColumn_DebeziumsSpecialDecimalNames_PostgresNumericInput(string pgType, string value, string expected) =>
        Assert.Equal(expected, PgText.ForColumn(pgType)(value));

    [Fact]
    public void ForColumn_NumericArrayWithSpecialValues_EachElementRewritten() =>
        Assert.Equal("{\"1.50\",\"NaN\",NULL}", PgText.ForColumn("numeric(5,2)[]")(new List<object?> { "1.50", "NAN", null }));

    [Theory]
    [InlineData("bit varying", "0000000101", "101")]
    [InlineData("bit varying(10)", "0000000101", "101")]
    [InlineData("bit(10)", "0000000101", "0000000101")]
    public void ForColumn_BitString_VaryingLosesThePaddingToTheDeclaredLength(string pgType, string bits, string expected) =>
        Assert.Equal(expected, PgText.ForColumn(pgType)(new BitString(bits)));

    [Theory]
    [InlineData(-735160L, "0044-03-15 BC")]
    [InlineData(2932897L, "10000-01-01")]
    public void Format_ExtendedDate_PostgresText(long days, string expected) =>
        Assert.Equal(expected, PgText.Format(ExtendedTemporal.FromEpochDays(days)));

    [Fact]
    public void Format_Infinities_PostgresInfinityNeverAYear()
    {
        Assert.Equal("infinity", PgText.Format(ExtendedTemporal.PositiveInfinity(TemporalKind.Date)));
        Assert.Equal("-infinity", PgText.Format(ExtendedTemporal.NegativeInfinity(TemporalKind.ZonedTimestamp)));
        Assert.Equal("0001-01-01", PgText.Format(DateOnly.MinValue));
        Assert.Equal("0001-01-01 00:00:00.000000", PgText.Format(DateTime.MinValue));
    }

    [Fact]
    public void Format_ExtendedTimestamps_PostgresText()
    {
        Assert.Equal("4713-12-31 23:59:59.999999 BC", PgText.Format(ExtendedTemporal.FromEpochMicros(TemporalKind.Timestamp, -210831897600000001)));
        Assert.Equal("4714-12-31 23:59:59.999999+00 BC", PgText.Format(ExtendedTemporal.FromEpochMicros(TemporalKind.ZonedTimestamp, -210863520000000001)));
    }

    [Fact]
    public void ForColumn_PointStruct_PointInput()
    {
        var point = new Cdc.Schemas.Model.RowImage([new("x", 1.5, null), new("y", -2.0, null), new("wkb", null, null), new("srid", null, null)]);

        Assert.Equal("(1.5,-2)", PgText.ForColumn("point")(point));
    }

    [Fact]
    public void ForColumn_BoxArray_ElementsSeparatedBySemicolons() =>
        Assert.Equal("{\"(1,1),(0,0)\";\"(2,2),(1,1)\"}", PgText.ForColumn("box[]")(new List<object?> { "(1,1),(0,0)", "(2,2),(1,1)" }));
}
