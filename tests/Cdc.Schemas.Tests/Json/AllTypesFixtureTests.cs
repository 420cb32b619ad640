using System.Numerics;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Json;

/// <summary>
/// all-types.*.json: one column per Debezium type mapping of docs/design.md#type-mapping, in three rows (typical,
/// edge values, all NULL). <see cref="Ddl"/> is the table the fixture was written for.
/// </summary>
public class AllTypesFixtureTests
{
    public static readonly (string Column, string PgType)[] Ddl =
    [
        ("id", "integer"), ("c_smallint", "smallint"), ("c_integer", "integer"), ("c_bigint", "bigint"),
        ("c_real", "real"), ("c_double", "double precision"), ("c_bool", "boolean"),
        ("c_numeric", "numeric(7,2)"), ("c_numeric_big", "numeric(40,5)"), ("c_numeric_var", "numeric"), ("c_money", "money"),
        ("c_text", "text"), ("c_varchar", "character varying(20)"), ("c_char", "character(3)"), ("c_uuid", "uuid"),
        ("c_json", "json"), ("c_jsonb", "jsonb"), ("c_xml", "xml"), ("c_enum", "mood"), ("c_ltree", "ltree"),
        ("c_inet", "inet"), ("c_int4range", "int4range"), ("c_date", "date"), ("c_time", "time(3) without time zone"),
        ("c_time6", "time without time zone"), ("c_timetz", "time with time zone"), ("c_ts", "timestamp(3) without time zone"),
        ("c_ts6", "timestamp without time zone"), ("c_tstz", "timestamp with time zone"), ("c_interval", "interval"),
        ("c_bytea", "bytea"), ("c_bit", "bit(8)"), ("c_varbit", "bit varying"), ("c_bit1", "bit(1)"),
        ("c_int_arr", "integer[]"), ("c_text_arr", "text[]"), ("c_numeric_arr", "numeric(5,2)[]"), ("c_date_arr", "date[]"),
        ("c_uuid_arr", "uuid[]"), ("c_tstz_arr", "timestamp with time zone[]"), ("c_hstore", "hstore"),
        ("c_null_text", "text"), ("c_null_ts", "timestamp without time zone"),
    ];

    private static readonly Guid SampleUuid = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");

    [Fact]
    public void Decode_TypicalRow_ExactDotNetValues()
    {
        var row = Rows()[0];

        Assert.Equal((short)-32768, Get(row, "c_smallint"));
        Assert.Equal(int.MaxValue, Get(row, "c_integer"));
        Assert.Equal(long.MinValue, Get(row, "c_bigint"));
        Assert.Equal(3.14f, Get(row, "c_real"));
        Assert.Equal(2.718281828459045, Get(row, "c_double"));
        Assert.Equal(true, Get(row, "c_bool"));
        Assert.Equal(new ExactDecimal(12345, 2), Get(row, "c_numeric"));
        var big = Assert.IsType<ExactDecimal>(Get(row, "c_numeric_big"));
        Assert.Equal(new ExactDecimal(BigInteger.Parse("1234567890123456789012345678901234567890"), 5), big);
        Assert.Equal("12345678901234567890123456789012345.67890", big.ToString());
        Assert.Equal("3.14159", Get(row, "c_numeric_var")!.ToString());
        Assert.Equal(new ExactDecimal(1234, 2), Get(row, "c_money"));
        Assert.Equal("Grüße, 世界 🌍 \"quoted\"\n", Get(row, "c_text"));
        Assert.Equal("ab ", Get(row, "c_char"));
        Assert.Equal(SampleUuid, Get(row, "c_uuid"));
        Assert.Equal("{\"a\": [1, 2]}", Get(row, "c_jsonb"));
        Assert.Equal("<a>b</a>", Get(row, "c_xml"));
        Assert.Equal("happy", Get(row, "c_enum"));
        Assert.Equal("Top.Science.Astronomy", Get(row, "c_ltree"));
        Assert.Equal("192.168.0.1/24", Get(row, "c_inet"));
        Assert.Equal("[1,10)", Get(row, "c_int4range"));
        Assert.Equal(new DateOnly(2019, 5, 28), Get(row, "c_date"));
        Assert.Equal(new TimeSpan(0, 9, 38, 24, 863), Get(row, "c_time"));
        Assert.Equal(new TimeSpan(0, 9, 38, 24, 863, 769), Get(row, "c_time6"));
        Assert.Equal("09:38:24.863769Z", Get(row, "c_timetz"));
        Assert.Equal(new DateTime(2019, 5, 28, 9, 38, 24, 863), Get(row, "c_ts"));
        // 1559033904863769 µs since the epoch is 08:58:24.863769 UTC (not 09:38, as the task brief's example said).
        var ts6 = Assert.IsType<DateTime>(Get(row, "c_ts6"));
        Assert.Equal(new DateTime(2019, 5, 28, 8, 58, 24, 863, 769), ts6);
        Assert.Equal(DateTimeKind.Unspecified, ts6.Kind);
        var tstz = Assert.IsType<DateTimeOffset>(Get(row, "c_tstz"));
        Assert.Equal(new DateTimeOffset(2019, 5, 28, 9, 38, 24, 863, 769, TimeSpan.Zero), tstz);
        Assert.Equal(TimeSpan.Zero, tstz.Offset);
        Assert.Equal(new TimeSpan(1, 2, 3, 4, 500), Get(row, "c_interval"));
        Assert.Equal(new byte[] { 0, 1, 2, 253, 254, 255 }, Get(row, "c_bytea"));
        Assert.Equal(new BitString("00000101"), Get(row, "c_bit"));
        Assert.Equal(new BitString("1011"), Get(row, "c_varbit"));
        Assert.Equal(true, Get(row, "c_bit1"));
        Assert.Equal(new object?[] { 1, null, -3 }, RowAssert.Array(row, "c_int_arr"));
        Assert.Equal(new object?[] { "a", null, "ünï" }, RowAssert.Array(row, "c_text_arr"));
        Assert.Equal(new object?[] { new ExactDecimal(150, 2), null, new ExactDecimal(-1, 2) }, RowAssert.Array(row, "c_numeric_arr"));
        Assert.Equal(new object?[] { new DateOnly(1970, 1, 1), new DateOnly(1969, 12, 31) }, RowAssert.Array(row, "c_date_arr"));
        Assert.Equal(new object?[] { SampleUuid }, RowAssert.Array(row, "c_uuid_arr"));
        Assert.Equal("{\"a\":\"1\",\"b\":null}", Get(row, "c_hstore"));
        Assert.Null(Get(row, "c_null_text"));
        Assert.Null(Get(row, "c_null_ts"));
    }

    [Fact]
    public void Decode_ZonedTimestampsWithZeroToNineFractionDigits_ParsedLeniently()
    {
        var values = RowAssert.Array(Rows()[0], "c_tstz_arr").Cast<DateTimeOffset>().ToList();

        var second = new DateTimeOffset(2019, 5, 28, 9, 38, 24, TimeSpan.Zero);
        long[] ticks = [0, 8_000_000, 8_600_000, 8_630_000, 8_637_000, 8_637_600, 8_637_690, 8_637_691, 8_637_691, 8_637_691];
        Assert.Equal(ticks.Select(t => second.AddTicks(t)), values.Take(10));
        Assert.Equal(second.AddMilliseconds(500), values[10]);
        Assert.Equal(TimeSpan.FromHours(2), values[10].Offset);
    }

    [Fact]
    public void Decode_EdgeRow_NonFiniteNegativeAndPre1970Values()
    {
        var row = Rows()[1];

        Assert.Equal(float.NegativeInfinity, Get(row, "c_real"));
        Assert.True(double.IsNaN((double)Get(row, "c_double")!));
        Assert.Equal("-123.45", Get(row, "c_numeric")!.ToString());
        Assert.Equal("-99999999999999999999999999999999999.99999", Get(row, "c_numeric_big")!.ToString());
        Assert.Equal(new ExactDecimal(-1, 3), Get(row, "c_numeric_var"));
        Assert.Equal("-0.001", Get(row, "c_numeric_var")!.ToString());
        Assert.Equal("-0.05", Get(row, "c_money")!.ToString());
        Assert.Equal(new DateOnly(1969, 7, 20), Get(row, "c_date"));
        Assert.Equal(TimeSpan.Zero, Get(row, "c_time"));
        Assert.Equal(TimeSpan.FromHours(24), Get(row, "c_time6"));
        Assert.Equal(new DateTime(1969, 7, 20, 20, 17, 40, 123), Get(row, "c_ts"));
        Assert.Equal(new DateTime(1969, 12, 31, 23, 59, 59, 999, 999), Get(row, "c_ts6"));
        Assert.Equal(new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.Zero), Get(row, "c_tstz"));
        Assert.Equal(TimeSpan.FromSeconds(-1.5), Get(row, "c_interval"));
        Assert.Equal(Array.Empty<byte>(), Get(row, "c_bytea"));
        Assert.Equal(new BitString("00000000"), Get(row, "c_bit"));
        Assert.Equal(new BitString("1"), Get(row, "c_varbit"));
        Assert.Equal(false, Get(row, "c_bit1"));
        Assert.Empty(RowAssert.Array(row, "c_int_arr"));
        Assert.Empty(RowAssert.Array(row, "c_tstz_arr"));
        Assert.Equal("", Get(row, "c_null_text"));
        Assert.Equal(DateTime.MinValue, Get(row, "c_null_ts"));
    }

    [Fact]
    public void Decode_AllNullRow_EveryNonKeyColumnNull()
    {
        var row = Rows()[2];

        Assert.Equal(3, Get(row, "id"));
        Assert.Equal(Ddl.Length, row.Count);
        Assert.All(row.Skip(1), c => Assert.Null(c.Value));
        Assert.All(row, c => Assert.NotNull(c.Schema));
    }

    [Fact]
    public void WithSchema_SchemalessRowsAgainstPostgresTypeMapping_EqualTheTypedDecode()
    {
        var typed = Rows();
        var raw = GoldenFixture.Load("all-types.noschema.json").Decode();
        var schema = new ConnectSchema
        {
            Type = ConnectType.Struct,
            Fields = Ddl.Select(c => new ConnectField(c.Column, PostgresTypeMapping.SchemaFor(c.PgType, ValueHandling.DebeziumDefaults))).ToList(),
        };

        for (var i = 0; i < typed.Count; i++)
        {
            var resolved = raw[i].Event!.After!.WithSchema(schema);
            Assert.False(resolved.IsSchemaless);
            Assert.Equal(typed[i].Select(c => c.Name), resolved.Select(c => c.Name));
            for (var c = 0; c < typed[i].Count; c++)
            {
                Assert.Equal(typed[i][c].Value, resolved[c].Value);
            }
        }
    }

    [Fact]
    public void SchemaFor_EveryColumnType_MatchesTheSchemaDebeziumEmits()
    {
        var after = Rows()[0];

        // A user enum's name says nothing about it being an enum: SchemaFor gives plain string, Debezium io.debezium.data.Enum.
        foreach (var (column, pgType) in Ddl.Where(c => c.Column != "c_enum"))
        {
            Assert.True(after.TryGet(column, out var emitted));
            AssertSameShape(emitted.Schema!, PostgresTypeMapping.SchemaFor(pgType, ValueHandling.DebeziumDefaults), $"{column} {pgType}");
        }
    }

    [Fact]
    public void Decode_OtherModes_ConnectAndNanoTypesIntervalStringMapsAndNumericDecimals()
    {
        var row = GoldenFixture.Load("other-modes.schema.json").Decode()[0].Event!.After;

        Assert.Equal(new DateOnly(2019, 5, 28), Get(row, "c_date"));
        Assert.Equal(new TimeSpan(0, 9, 38, 24, 863), Get(row, "c_time"));
        Assert.Equal(new DateTime(1969, 12, 31, 23, 59, 59, 999), Get(row, "c_ts"));
        Assert.Equal(new DateTime(2019, 5, 28, 8, 58, 24, 863, 769).AddTicks(1), Get(row, "c_nanots"));
        Assert.Equal(new TimeSpan(0, 9, 38, 24, 863, 769).Add(TimeSpan.FromTicks(1)), Get(row, "c_nanotime"));
        Assert.Equal("P1Y2M3DT4H5M6.78S", Get(row, "c_interval"));
        Assert.Equal(
            new[] { new KeyValuePair<object?, object?>("a", "1"), new KeyValuePair<object?, object?>("b", null) },
            Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<object?, object?>>>(Get(row, "c_hstore")));
        Assert.Equal(new ExactDecimal(-12345, 2), Get(row, "c_numeric"));
        Assert.Equal(new ExactDecimal(150000, 2), Get(row, "c_numeric_exp"));
        Assert.Equal(
            new[] { new KeyValuePair<object?, object?>(1, "one"), new KeyValuePair<object?, object?>(2, null) },
            Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<object?, object?>>>(Get(row, "c_intmap")));
    }

    private static List<RowImage> Rows() =>
        GoldenFixture.Load("all-types.schema.json").Decode().Select(r => r.Event!.After!).ToList();

    private static object? Get(RowImage? row, string column) => RowAssert.Value(row, column);

    private static void AssertSameShape(ConnectSchema expected, ConnectSchema actual, string what)
    {
        Assert.True(expected.Type == actual.Type, $"{what}: type {actual.Type}, Debezium emits {expected.Type}");
        Assert.True(expected.Name == actual.Name, $"{what}: name {actual.Name}, Debezium emits {expected.Name}");
        // The source-type parameters are Debezium's datatype.propagate.source.type, which the fixture was written without.
        Assert.True(
            expected.Parameters.OrderBy(p => p.Key).SequenceEqual(actual.Parameters.Where(p => !p.Key.StartsWith("__debezium.source.", StringComparison.Ordinal)).OrderBy(p => p.Key)),
            $"{what}: parameters differ");
        Assert.True(expected.Fields.Select(f => f.Name).SequenceEqual(actual.Fields.Select(f => f.Name)), $"{what}: fields differ");
        if (expected.Items is not null)
        {
            Assert.NotNull(actual.Items);
            AssertSameShape(expected.Items, actual.Items, what + "[]");
        }
    }
}
