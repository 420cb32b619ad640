using System.Numerics;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using static Cdc.Schemas.Tests.Support.TestSchemas;

namespace Cdc.Schemas.Tests.Connect;

public class ConnectValueTests
{
    [Theory]
    [InlineData("\"MDk=\"", 2, 12345, "123.45")]
    [InlineData("\"z8c=\"", 2, -12345, "-123.45")]
    [InlineData("\"AA==\"", 3, 0, "0.000")]
    [InlineData("\"/w==\"", 3, -1, "-0.001")]
    [InlineData("123.45", 2, 12345, "123.45")]
    [InlineData("-1.5", 2, -150, "-1.50")]
    [InlineData("1E+3", 2, 100000, "1000.00")]
    [InlineData("\"-12.5\"", 2, -1250, "-12.50")]
    public void FromJson_Decimal_ExactValue(string json, int scale, long unscaled, string text)
    {
        var value = Assert.IsType<ExactDecimal>(Convert(json, Decimal(scale)));

        Assert.Equal(new ExactDecimal(unscaled, scale), value);
        Assert.Equal(text, value.ToString());
    }

    [Fact]
    public void FromJson_DecimalNumberWithMoreDigitsThanScale_KeepsEveryDigit()
    {
        Assert.Equal(new ExactDecimal(1234, 3), Convert("1.234", Decimal(2)));
    }

    [Fact]
    public void FromJson_DecimalBeyondDecimalRange_Exact()
    {
        var value = Convert("123456789012345678901234567890.123456789", Decimal(9));

        Assert.Equal(new ExactDecimal(BigInteger.Parse("123456789012345678901234567890123456789"), 9), value);
    }

    [Theory]
    [InlineData("\"!!\"", "invalid base64 or numeric text")]
    [InlineData("true", "expected a base64 string or a number")]
    [InlineData("\"\"", "invalid base64 or numeric text")]
    public void FromJson_BadDecimal_Throws(string json, string expected)
    {
        var error = Assert.Throws<EventDecodeException>(() => Convert(json, Decimal(2)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_DecimalWithoutScaleParameter_Throws()
    {
        var error = Assert.Throws<EventDecodeException>(() => Convert("\"MDk=\"", Of(ConnectType.Bytes, ConnectLogicalNames.Decimal)));

        Assert.Contains("'scale' parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_VariableScaleDecimal_ScaleAndValue()
    {
        var schema = Cdc.Schemas.Connect.PostgresTypeMapping.SchemaFor("numeric", ValueHandling.DebeziumDefaults);

        Assert.Equal("-0.001", Convert("{\"scale\":3,\"value\":\"/w==\"}", schema)!.ToString());
        Assert.Throws<EventDecodeException>(() => Convert("{\"scale\":3}", schema));
        Assert.Throws<EventDecodeException>(() => Convert("{\"scale\":\"x\",\"value\":\"AQ==\"}", schema));
    }

    [Theory]
    [InlineData(ConnectType.Int8, "-128", (short)-128)]
    [InlineData(ConnectType.Int16, "32767", (short)32767)]
    [InlineData(ConnectType.Int32, "-2147483648", int.MinValue)]
    [InlineData(ConnectType.Int64, "9223372036854775807", long.MaxValue)]
    [InlineData(ConnectType.Boolean, "false", false)]
    [InlineData(ConnectType.String, "\"x\"", "x")]
    public void FromJson_Primitives_ExactType(ConnectType type, string json, object expected)
    {
        var value = Convert(json, Of(type));

        Assert.Equal(expected, value);
        Assert.IsType(expected.GetType(), value);
    }

    [Theory]
    [InlineData(ConnectType.Int8, "128")]
    [InlineData(ConnectType.Int16, "40000")]
    [InlineData(ConnectType.Int32, "1.0")]
    [InlineData(ConnectType.Int32, "1e2")]
    [InlineData(ConnectType.Int64, "9223372036854775808")]
    [InlineData(ConnectType.Int64, "\"1\"")]
    [InlineData(ConnectType.Boolean, "\"true\"")]
    [InlineData(ConnectType.Float64, "1e400")]
    [InlineData(ConnectType.Float64, "\"nan\"")]
    [InlineData(ConnectType.Bytes, "\"not base64!\"")]
    [InlineData(ConnectType.String, "{}")]
    public void FromJson_Mismatch_Throws(ConnectType type, string json)
    {
        var error = Assert.Throws<EventDecodeException>(() => ConnectValue.FromJson(Parse(json), Of(type), "col"));

        Assert.StartsWith("col: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"NaN\"", double.NaN)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    [InlineData("-0.5", -0.5)]
    public void FromJson_Float64_SpecialStrings(string json, double expected)
    {
        Assert.Equal(expected, Convert(json, Of(ConnectType.Float64)));
        Assert.Equal((float)expected, Convert(json, Of(ConnectType.Float32)));
    }

    [Fact]
    public void FromJson_NullForOptionalAndRequired()
    {
        Assert.Null(Convert("null", Of(ConnectType.Int32)));
        var error = Assert.Throws<EventDecodeException>(() => ConnectValue.FromJson(Parse("null"), Of(ConnectType.Int32, optional: false), "id"));
        Assert.Equal("id: null for a required int32", error.Message);
    }

    [Theory]
    [InlineData("\"AQI=\"", "16", "0000001000000001")]
    [InlineData("\"AQI=\"", null, "1000000001")]
    [InlineData("\"AQI=\"", "2147483647", "1000000001")]
    [InlineData("\"\"", "3", "000")]
    [InlineData("\"gA==\"", "8", "10000000")]
    public void FromJson_Bits_LittleEndianPaddedToLength(string json, string? length, string bits)
    {
        var schema = length is null
            ? Of(ConnectType.Bytes, ConnectLogicalNames.Bits)
            : Of(ConnectType.Bytes, ConnectLogicalNames.Bits, parameters: ("length", length));

        Assert.Equal(new BitString(bits), Convert(json, schema));
    }

    [Fact]
    public void FromJson_BitsWiderThanLength_Throws()
    {
        var error = Assert.Throws<EventDecodeException>(() => Convert("\"AQI=\"", Of(ConnectType.Bytes, ConnectLogicalNames.Bits, parameters: ("length", "8"))));

        Assert.Contains("declared length is 8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2_146_033_979, true)]
    [InlineData(-2_147_472_692, true)]
    [InlineData(-2_147_472_691, false)]
    public void FromJson_DateInfinitySentinels_Infinities(int days, bool positive)
    {
        Assert.Equal(
            positive ? ExtendedTemporal.PositiveInfinity(TemporalKind.Date) : ExtendedTemporal.NegativeInfinity(TemporalKind.Date),
            Convert(days.ToString(System.Globalization.CultureInfo.InvariantCulture), Of(ConnectType.Int32, ConnectLogicalNames.Date)));
    }

    [Theory]
    [InlineData("-719162", "0001-01-01")]
    [InlineData("2932896", "9999-12-31")]
    public void FromJson_DateAtTheEndsOfDotNetsRange_DateOnlyNeverAnInfinity(string json, string date)
    {
        Assert.Equal(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Convert(json, Of(ConnectType.Int32, ConnectLogicalNames.Date)));
    }

    [Theory]
    [InlineData("-735160", "0044-03-15 BC")]
    [InlineData("-719163", "0001-12-31 BC")]
    [InlineData("2932897", "10000-01-01")]
    public void FromJson_DateOutsideDotNetsRange_ExtendedTemporalWithPostgresText(string json, string text)
    {
        var value = Assert.IsType<ExtendedTemporal>(Convert(json, Of(ConnectType.Int32, ConnectLogicalNames.Date)));

        Assert.Equal(text, value.ToString());
    }

    [Theory]
    [InlineData(ConnectLogicalNames.MicroTimestamp, "9223372036825200000", true)]
    [InlineData(ConnectLogicalNames.MicroTimestamp, "-9223372036832400000", false)]
    [InlineData(ConnectLogicalNames.Timestamp, "9223372036825200", true)]
    [InlineData(ConnectLogicalNames.Timestamp, "-9223372036832400", false)]
    [InlineData(ConnectLogicalNames.NanoTimestamp, "9223372036854775807", true)]
    [InlineData(ConnectLogicalNames.NanoTimestamp, "-9223372036854775808", false)]
    public void FromJson_TimestampInfinitySentinels_Infinities(string name, string json, bool positive)
    {
        Assert.Equal(
            positive ? ExtendedTemporal.PositiveInfinity(TemporalKind.Timestamp) : ExtendedTemporal.NegativeInfinity(TemporalKind.Timestamp),
            Convert(json, Of(ConnectType.Int64, name)));
    }

    [Theory]
    [InlineData(ConnectLogicalNames.MicroTimestamp, "-62135596800000000")]
    [InlineData(ConnectLogicalNames.Timestamp, "-62135596800000")]
    public void FromJson_TimestampOfYearOne_DateTimeMinValueNeverAnInfinity(string name, string json)
    {
        Assert.Equal(DateTime.MinValue, Convert(json, Of(ConnectType.Int64, name)));
    }

    [Theory]
    [InlineData(ConnectLogicalNames.MicroTimestamp, "253402300800000000", "10000-01-01 00:00:00")]
    [InlineData(ConnectLogicalNames.MicroTimestamp, "-210831897600000001", "4713-12-31 23:59:59.999999 BC")]
    [InlineData(ConnectLogicalNames.Timestamp, "-62135596800001", "0001-12-31 23:59:59.999 BC")]
    public void FromJson_TimestampOutsideDotNetsRange_ExtendedTemporalWithPostgresText(string name, string json, string text)
    {
        var value = Assert.IsType<ExtendedTemporal>(Convert(json, Of(ConnectType.Int64, name)));

        Assert.Equal(text, value.ToString());
    }

    [Fact]
    public void FromJson_DurationOutOfRange_Throws()
    {
        Assert.Throws<EventDecodeException>(() => Convert("9223372036854775807", Of(ConnectType.Int64, ConnectLogicalNames.MicroDuration)));
    }

    [Fact]
    public void FromJson_NegativeNanoTimestamp_FloorsToTheTick()
    {
        Assert.Equal(new DateTime(1969, 12, 31, 23, 59, 59).AddTicks(9_999_999), Convert("-1", Of(ConnectType.Int64, ConnectLogicalNames.NanoTimestamp)));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    [InlineData("2019-05-28T09:38:24+0530", "2019-05-28T09:38:24.0000000+05:30")]
    [InlineData("2019-05-28T09:38:24-03", "2019-05-28T09:38:24.0000000-03:00")]
    [InlineData("2019-05-28 09:38:24.5z", "2019-05-28T09:38:24.5000000+00:00")]
    [InlineData("2019-05-28T09:38Z", "2019-05-28T09:38:00.0000000+00:00")]
    [InlineData("1883-11-18T12:00:00-07:52:58", "1883-11-18T19:52:58.0000000+00:00")]
    public void FromJson_ZonedTimestamp_LenientIso(string text, string roundTrip)
    {
        var value = Assert.IsType<DateTimeOffset>(Convert($"\"{text}\"", Of(ConnectType.String, ConnectLogicalNames.ZonedTimestamp)));

        Assert.Equal(roundTrip, value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("infinity", "infinity", "infinity")]
    [InlineData("-infinity", "-infinity", "-infinity")]
    [InlineData("-4713-12-31T23:59:59.999999Z", "4714-12-31 23:59:59.999999+00 BC", "-4713-12-31T23:59:59.999999Z")]
    [InlineData("+21016-11-04T06:51:30.123456Z", "21016-11-04 06:51:30.123456+00", "+21016-11-04T06:51:30.123456Z")]
    [InlineData("+10000-01-01T00:00:00Z", "10000-01-01 00:00:00+00", "+10000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:30:00+01:00", "0001-12-31 23:30:00+00 BC", "0000-12-31T23:30:00Z")]
    [InlineData("0000-06-01T00:00:00.5Z", "0001-06-01 00:00:00.5+00 BC", "0000-06-01T00:00:00.5Z")]
    public void FromJson_ZonedTimestampOutsideDotNetsRange_ExtendedTemporal(string text, string postgres, string iso)
    {
        var value = Assert.IsType<ExtendedTemporal>(Convert($"\"{text}\"", Of(ConnectType.String, ConnectLogicalNames.ZonedTimestamp)));

        Assert.Equal(postgres, value.ToString());
        Assert.Equal(iso, value.ToIsoString());
    }

    [Theory]
    [InlineData("2019-02-30T00:00:00Z")]
    [InlineData("2019-05-28T09:38:24")]
    [InlineData("2019-05-28T09:38:24.Z")]
    [InlineData("10000-01-01")]
    [InlineData("yesterday")]
    public void FromJson_BadZonedTimestamp_ThrowsNamingTheText(string text)
    {
        var error = Assert.Throws<EventDecodeException>(() => ConnectValue.FromJson(Parse($"\"{text}\""), Of(ConnectType.String, ConnectLogicalNames.ZonedTimestamp), "created_at"));

        Assert.StartsWith($"created_at: invalid io.debezium.time.ZonedTimestamp \"{text}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_Uuid_GuidOrError()
    {
        var schema = Of(ConnectType.String, ConnectLogicalNames.Uuid);

        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Convert("\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", schema));
        Assert.Throws<EventDecodeException>(() => Convert("\"a0eebc99\"", schema));
    }

    [Theory]
    [InlineData("\"__debezium_unavailable_value\"", ConnectType.String, null)]
    [InlineData("\"__debezium_unavailable_value\"", ConnectType.Int64, null)]
    [InlineData("\"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==\"", ConnectType.Bytes, null)]
    [InlineData("\"{\\\"__debezium_unavailable_value\\\":\\\"__debezium_unavailable_value\\\"}\"", ConnectType.String, ConnectLogicalNames.Json)]
    public void FromJson_ColumnPlaceholder_Unavailable(string json, ConnectType type, string? name)
    {
        Assert.Same(Unavailable.Value, Convert(json, Of(type, name)));
    }

    [Fact]
    public void FromJson_PlaceholderAsArrayElement_IsData()
    {
        var value = Convert("[\"__debezium_unavailable_value\",\"x\"]", ArrayOf(Of(ConnectType.String)));

        Assert.Equal(new object?[] { Unavailable.Placeholder, "x" }, Assert.IsType<object?[]>(value));
    }

    [Fact]
    public void FromJson_IntArrayOfPlaceholderBytes_Unavailable()
    {
        var bytes = string.Join(',', "__debezium_unavailable_value"u8.ToArray());

        Assert.Same(Unavailable.Value, Convert($"[{bytes}]", ArrayOf(Of(ConnectType.Int32))));
        Assert.Same(Unavailable.Value, Convert($"[{bytes}]", ArrayOf(Of(ConnectType.Int16))));
        Assert.Same(Unavailable.Value, Convert($"[{bytes}]", ArrayOf(Of(ConnectType.Int64))));
        Assert.Equal(28, Assert.IsType<object?[]>(Convert($"[{bytes.Replace("95", "96", StringComparison.Ordinal)}]", ArrayOf(Of(ConnectType.Int32)))).Length);
    }

    [Fact]
    public void FromJson_ArrayElementError_NamesTheIndex()
    {
        var error = Assert.Throws<EventDecodeException>(() => ConnectValue.FromJson(Parse("[1,\"x\",3]"), ArrayOf(Of(ConnectType.Int32)), "scores"));

        Assert.Equal("scores[1]: expected an integer in the int32 range for int32, got a string", error.Message);
    }

    [Fact]
    public void FromJson_Struct_RowImageIgnoringUnknownFieldsAndFillingMissingOptionals()
    {
        var schema = new ConnectSchema
        {
            Type = ConnectType.Struct,
            Fields = [new ConnectField("a", Of(ConnectType.Int32, optional: false)), new ConnectField("b", Of(ConnectType.String))],
        };

        var row = Assert.IsType<RowImage>(Convert("{\"z\":true,\"a\":1}", schema));

        Assert.Equal(["a", "b"], row.Select(c => c.Name));
        Assert.Equal(1, row[0].Value);
        Assert.Null(row[1].Value);
        var error = Assert.Throws<EventDecodeException>(() => ConnectValue.FromJson(Parse("{\"b\":\"x\"}"), schema, "point"));
        Assert.Equal("point.a: missing required int32", error.Message);
    }

    [Fact]
    public void FromJson_MapWithStringKeys_ObjectFormOnly()
    {
        var schema = new ConnectSchema { Type = ConnectType.Map, Keys = Of(ConnectType.String, optional: false), Values = Of(ConnectType.Int32) };

        var entries = Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<object?, object?>>>(Convert("{\"a\":1,\"b\":null}", schema));

        Assert.Equal([new("a", 1), new("b", null)], entries);
        var error = Assert.Throws<EventDecodeException>(() => ConnectValue.FromJson(Parse("{\"a\":\"x\"}"), schema, "m"));
        Assert.Equal("m.a: expected an integer in the int32 range for int32, got a string", error.Message);
    }

    [Fact]
    public void FromJson_MapWithIntKeys_PairsOnly()
    {
        var schema = new ConnectSchema { Type = ConnectType.Map, Keys = Of(ConnectType.Int32, optional: false), Values = Of(ConnectType.String) };

        Assert.Throws<EventDecodeException>(() => Convert("{\"1\":\"a\"}", schema));
        Assert.Throws<EventDecodeException>(() => Convert("[[1]]", schema));
        Assert.Equal([new KeyValuePair<object?, object?>(1, "a")], Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<object?, object?>>>(Convert("[[1,\"a\"]]", schema)));
    }

    [Fact]
    public void FromJson_RawObjectOverload_PassesNonJsonValuesThrough()
    {
        Assert.Same(Unavailable.Value, ConnectValue.FromJson((object)Unavailable.Value, Of(ConnectType.String)));
        Assert.Null(ConnectValue.FromJson((object?)null, Of(ConnectType.String)));
        Assert.Equal(5, ConnectValue.FromJson((object)Parse("5"), Of(ConnectType.Int32)));
    }
}
