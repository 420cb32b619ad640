using Cdc.Schemas.Connect;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Connect;

/// <summary><see cref="PostgresText"/> on text PostgreSQL never prints, or prints for values Debezium cannot emit.</summary>
public sealed class PostgresTextTests(PgTextDatabase database) : IClassFixture<PgTextDatabase>
{
    public static TheoryData<string, string, string> Malformed { get; } = new()
    {
        { "integer", "12a", "integer text \"12a\"" },
        { "smallint", "40000", "smallint text \"40000\"" },
        { "boolean", "yes", "expected t or f" },
        { "numeric(7,2)", "1.234x", "not a decimal number" },
        { "numeric", "1..2", "not a decimal number" },
        { "money", "$1.2.3", "not a decimal number" },
        { "bytea", "abc", "bytea_output = hex" },
        { "bytea", "\\xzz", "bytea text" },
        { "uuid", "not-a-uuid", "not a uuid" },
        { "date", "2019-02-30", "year, month or day out of range" },
        { "date", "28.05.2019", "expected a year" },
        { "time without time zone", "24:00:01", "time of day out of range" },
        { "timestamp without time zone", "2019-05-28T09:38:24", "expected ' ' between date and time" },
        { "timestamp with time zone", "2019-05-28 09:38:24", "expected a UTC offset" },
        { "time with time zone", "25:00:00+00", "time of day out of range" },
        { "time with time zone", "24:00:00+01", "non-zero offset" },
        { "interval", "P1Y2M", "IntervalStyle postgres" },
        { "interval", "1 fortnight", "unexpected interval unit" },
        { "bit(8)", "0102", "0s and 1s" },
        { "point", "1,2", "expected a point" },
        { "hstore", "\"a\"=>\"1", "unterminated hstore string" },
        { "hstore", "\"a\"->\"1\"", "expected =>" },
        { "integer[]", "{1,2", "expected an array" },
        { "integer[]", "{1,x}", "[1]" },
        { "text[]", "{\"a}", "unterminated quoted array element" },
        { "text[]", "{a\"b}", "unexpected '\"'" },
    };

    /// <summary>
    /// Real PostgreSQL output that has no Debezium value in the mode used (<see cref="ValueHandling.DebeziumDefaults"/>
    /// for numeric): an exception, never a wrong value.
    /// </summary>
    public static TheoryData<string, string, string> Unrepresentable { get; } = new()
    {
        { "numeric", "NaN", "decimal.handling.mode=precise" },
        { "numeric", "Infinity", "decimal.handling.mode=precise" },
        { "numeric[]", "{1,NaN}", "decimal.handling.mode=precise" },
        { "timestamp without time zone", "294276-12-31 23:59:59", "past Debezium's infinity sentinels" },
        { "timestamp(3) without time zone", "294250-01-01 00:00:00", "past Debezium's infinity sentinels" },
        { "time with time zone", "12:00:00+05:53:28", "offset with seconds" },
        { "integer[]", "{{1,2},{3,4}}", "multi-dimensional" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void ToConnectValue_MalformedText_ThrowsEventDecodeExceptionNamingTheProblem(string pgType, string text, string problem)
    {
        var error = Assert.Throws<EventDecodeException>(() => PostgresText.ToConnectValue(text, PostgresTypeMapping.SchemaFor(pgType), pgType));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(pgType + " text ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Unrepresentable))]
    public async Task ToConnectValue_PostgresValueWithoutDecoderValue_ThrowsEventDecodeException(string pgType, string input, string problem)
    {
        var (text, formatType) = await database.Session.StoreAsync(pgType, input);

        var error = Assert.Throws<EventDecodeException>(() => PostgresText.ToConnectValue(text, PostgresTypeMapping.SchemaFor(formatType, ValueHandling.DebeziumDefaults), formatType));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("numeric(7,2)", "1.234", "more than 2 fraction digits")]
    [InlineData("numeric", "1..2", "not a decimal number")]
    public void ToConnectValue_MalformedDecimalInPreciseMode_ThrowsEventDecodeException(string pgType, string text, string problem)
    {
        var error = Assert.Throws<EventDecodeException>(() => PostgresText.ToConnectValue(text, PostgresTypeMapping.SchemaFor(pgType, ValueHandling.DebeziumDefaults), pgType));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Converter_SchemaThatIsNotTheTypesMapping_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => PostgresText.Converter(PostgresTypeMapping.SchemaFor("integer"), "integer[]"));
        var map = new ConnectSchema { Type = ConnectType.Map, Keys = new ConnectSchema { Type = ConnectType.String }, Values = new ConnectSchema { Type = ConnectType.String } };
        Assert.Throws<ArgumentException>(() => PostgresText.Converter(map, "text"));
    }

    [Fact]
    public void Converter_ReusedForManyValues_ConvertsEachIndependently()
    {
        var convert = PostgresText.Converter(PostgresTypeMapping.SchemaFor("numeric(10,2)", ValueHandling.DebeziumDefaults), "numeric(10,2)");

        Assert.Equal(new ExactDecimal(12345, 2), convert("123.45"));
        Assert.Equal(new ExactDecimal(-1, 2), convert("-0.01"));
        Assert.Throws<EventDecodeException>(() => convert("x"));
        Assert.Equal(new ExactDecimal(0, 2), convert("0.00"));
    }

    [Fact]
    public void ToConnectValue_HstoreInMapMode_PairsInJavaHashMapOrder()
    {
        var map = new ConnectSchema
        {
            Type = ConnectType.Map,
            Keys = new ConnectSchema { Type = ConnectType.String, Optional = false },
            Values = new ConnectSchema { Type = ConnectType.String },
        };

        var value = PostgresText.ToConnectValue("\"b\"=>\"1\", \"a\"=>NULL, \"Aa\"=>\"2\", \"BB\"=>\"3\"", map, "hstore");

        Assert.Equal(
            new KeyValuePair<object?, object?>[] { new("Aa", "2"), new("BB", "3"), new("a", null), new("b", "1") },
            Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<object?, object?>>>(value));
    }

    [Fact]
    public void ToConnectValue_HstoreWithManyKeys_OrderOfAJavaHashMapThatResized()
    {
        // 30 keys resize the HashMap from 16 to 64 buckets; the order is the one a JVM printed.
        var text = string.Join(", ", Enumerable.Range(1, 30).Select(i => $"\"k{i}\"=>\"{i}\""));

        var json = (string)PostgresText.ToConnectValue(text, PostgresTypeMapping.SchemaFor("hstore"), "hstore")!;

        var keys = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name);
        Assert.Equal(
            "k30,k11,k10,k13,k12,k15,k14,k17,k16,k19,k18,k1,k2,k3,k20,k4,k5,k22,k6,k21,k7,k24,k8,k23,k9,k26,k25,k28,k27,k29",
            string.Join(",", keys));
    }

    [Fact]
    public void ToConnectValue_HstoreWithControlCharacters_JacksonEscapes()
    {
        var json = PostgresText.ToConnectValue("\"t\\\\ab\"=>\"line\nnext\u0001\"", PostgresTypeMapping.SchemaFor("hstore"), "hstore");

        Assert.Equal("{\"t\\\\ab\":\"line\\nnext\\u0001\"}", json);
    }
}
