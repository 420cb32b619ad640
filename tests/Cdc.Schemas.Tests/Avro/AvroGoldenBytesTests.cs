using System.Numerics;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Avro.Internal;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>
/// Golden bytes, checked by hand: a struct of one field in Confluent framing (magic 00, schema id 00000001) and the
/// Avro binary of each Connect/Debezium logical type (ints and longs zig-zag varints, bytes and strings length-
/// prefixed, floats little-endian IEEE 754, an optional field led by its union branch: 00 null, 02 value).
/// Each case is also decoded back to the same .NET value through the Avro schema the encoder derives.
/// </summary>
public class AvroGoldenBytesTests
{
    private const string Header = "0000000001";

    public static TheoryData<string, ConnectSchema, object?, string> Cases() => new()
    {
        // 18044 days since 1970-01-01 = 2019-05-28; zig-zag 36088 = 0xF8 0x99 0x02.
        { "io.debezium.time.Date", Required(ConnectType.Int32, ConnectLogicalNames.Date), new DateOnly(2019, 5, 28), "F89902" },
        { "connect Date, -1 day", Required(ConnectType.Int32, ConnectLogicalNames.ConnectDate), new DateOnly(1969, 12, 31), "01" },
        // 09:38:24.863 = 34,704,863 ms.
        { "io.debezium.time.Time", Required(ConnectType.Int32, ConnectLogicalNames.Time), new TimeSpan(0, 9, 38, 24, 863), "BEB78C21" },
        { "io.debezium.time.MicroTime", Required(ConnectType.Int64, ConnectLogicalNames.MicroTime), new TimeSpan(0, 9, 38, 24, 863, 769), "B2C891C98202" },
        { "io.debezium.time.Timestamp", Required(ConnectType.Int64, ConnectLogicalNames.Timestamp), new DateTime(2019, 5, 28, 9, 38, 24, 863), "BEF7F0DCDF5A" },
        { "io.debezium.time.MicroTimestamp", Required(ConnectType.Int64, ConnectLogicalNames.MicroTimestamp), new DateTime(2019, 5, 28, 8, 58, 24, 863, 769), "B2E8BCE1DBFBC405" },
        { "io.debezium.time.NanoTimestamp", Required(ConnectType.Int64, ConnectLogicalNames.NanoTimestamp), new DateTime(2019, 5, 28, 8, 58, 24, 863, 769).AddTicks(1), "98C88FC3F1C4E6A22B" },
        { "connect Time (time-millis)", Required(ConnectType.Int32, ConnectLogicalNames.ConnectTime), new TimeSpan(0, 9, 38, 24, 863), "BEB78C21" },
        { "connect Timestamp (timestamp-millis)", Required(ConnectType.Int64, ConnectLogicalNames.ConnectTimestamp), new DateTime(2019, 5, 28, 9, 38, 24, 863), "BEF7F0DCDF5A" },
        // 09:38:24.863769 = 34,704,863,769,000 ns.
        { "io.debezium.time.NanoTime", Required(ConnectType.Int64, ConnectLogicalNames.NanoTime), new TimeSpan(0, 9, 38, 24, 863, 769), "D0C69DB18BE40F" },
        { "io.debezium.time.ZonedTime (text as is)", Required(ConnectType.String, ConnectLogicalNames.ZonedTime), "09:38:24.863769Z", "20" + Hex("09:38:24.863769Z") },
        // 1 day 02:03:04.5 = 93,784,500,000 µs.
        { "io.debezium.time.MicroDuration", Required(ConnectType.Int64, ConnectLogicalNames.MicroDuration), new TimeSpan(1, 2, 3, 4, 500), "C09CEFDFBA05" },
        // 27 characters (length 0x36 = zig-zag 27), UTF-8.
        { "io.debezium.time.ZonedTimestamp", Required(ConnectType.String, ConnectLogicalNames.ZonedTimestamp), new DateTimeOffset(2019, 5, 28, 9, 38, 24, 863, 769, TimeSpan.Zero), "36" + Hex("2019-05-28T09:38:24.863769Z") },
        { "io.debezium.data.Uuid", Required(ConnectType.String, ConnectLogicalNames.Uuid), Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "48" + Hex("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") },
        { "io.debezium.data.Json", Required(ConnectType.String, ConnectLogicalNames.Json), "{\"a\":1}", "0E" + Hex("{\"a\":1}") },
        { "io.debezium.data.Enum", Enum(), "happy", "0A" + Hex("happy") },
        // 123.45 in numeric(7,2): unscaled 12345 = 0x3039, two bytes.
        { "Decimal", Decimal(2, 7), new ExactDecimal(12345, 2), "043039" },
        { "Decimal, negative", Decimal(2, 7), new ExactDecimal(-1, 2), "02FF" },
        { "Decimal, 128 needs a sign byte", Decimal(0, 5), new ExactDecimal(128, 0), "040080" },
        // numeric(2,5): scale above precision, legal in PostgreSQL 15; Java Avro ignores the invalid logical type.
        { "Decimal, scale above precision", Decimal(5, 2), new ExactDecimal(12, 5), "020C" },
        // scale 5 (zig-zag 0x0A), value 314159 = 0x04CB2F.
        { "VariableScaleDecimal", VariableScaleDecimal(), new ExactDecimal(314159, 5), "0A0604CB2F" },
        // BitSet of "00000101": bit 0 and bit 2 set, little-endian: 0x05.
        { "io.debezium.data.Bits", Bits(8), new BitString("00000101"), "0205" },
        { "Bits, all zero is empty", Bits(8), new BitString("00000000"), "00" },
        { "int16 (connect.type)", Required(ConnectType.Int16), (short)-32768, "FFFF03" },
        { "int8 (connect.type)", Required(ConnectType.Int8), (short)-128, "FF01" },
        { "float", Required(ConnectType.Float32), 3.14f, "C3F54840" },
        { "double", Required(ConnectType.Float64), 2.718281828459045, "6957148B0ABF0540" },
        { "double NaN", Required(ConnectType.Float64), double.NaN, "000000000000F87F" },
        { "boolean", Required(ConnectType.Boolean), true, "01" },
        { "bytes", Required(ConnectType.Bytes), new byte[] { 0, 1, 0xFF }, "060001FF" },
        // Optional: union ["null", int] — branch 1 (02) then the value; null is branch 0 alone.
        { "optional date", Optional(ConnectType.Int32, ConnectLogicalNames.Date), new DateOnly(2019, 5, 28), "02F89902" },
        { "optional, null", Optional(ConnectType.Int32, ConnectLogicalNames.Date), null, "00" },
        // One block of 3 items ([null,int] each), then the 00 end marker.
        { "array of optional int", new ConnectSchema { Type = ConnectType.Array, Optional = false, Items = Optional(ConnectType.Int32) }, new object?[] { 1, null, -3 }, "06020200020500" },
        { "map string→string", new ConnectSchema { Type = ConnectType.Map, Optional = false, Keys = Required(ConnectType.String), Values = Required(ConnectType.String) }, new KeyValuePair<object?, object?>[] { new("a", "1") }, "0202610231" + "00" },
        { "TOAST placeholder text", Optional(ConnectType.String), Unavailable.Value, "02" + "38" + Hex(Unavailable.Placeholder) },
        { "TOAST placeholder bytes", Optional(ConnectType.Bytes), Unavailable.Value, "02" + "38" + Hex(Unavailable.Placeholder) },
        { "TOAST placeholder text[]", new ConnectSchema { Type = ConnectType.Array, Items = Optional(ConnectType.String) }, Unavailable.Value, "02" + "02" + "02" + "38" + Hex(Unavailable.Placeholder) + "00" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Serialize_OneField_GoldenBytes(string description, ConnectSchema field, object? value, string expectedBody)
    {
        _ = description;
        var bytes = DebeziumAvroEncoder.Serialize(1, Struct(field), Row(field, value));

        Assert.Equal(Header + expectedBody, Convert.ToHexString(bytes));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_GoldenBytes_SameValueAndSchema(string description, ConnectSchema field, object? value, string body)
    {
        var schema = Struct(field);
        var node = AvroNodeBuilder.Build(LenientAvroSchema.Parse(AvroConnectSchemas.ToAvroJson(schema)));
        var bytes = Convert.FromHexString(body);
        var reader = new AvroBinaryReader(bytes, 0, bytes.Length);

        var row = AvroValueReader.ReadStruct(reader, node);

        Assert.Equal(0, reader.Remaining);
        ChangeRecordAssert.Value(value, row[0].Value, description);
        ChangeRecordAssert.Schema(field, row[0].Schema, description);
    }

    [Fact]
    public void ToAvroJson_Decimal_AsAvroDataWritesIt()
    {
        Assert.Equal(
            """{"type":"bytes","scale":2,"precision":7,"connect.version":1,"connect.parameters":{"scale":"2","connect.decimal.precision":"7"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}""",
            AvroConnectSchemas.ToAvroJson(Decimal(2, 7)));
    }

    [Fact]
    public void ToAvroJson_OptionalWithDefault_ValueBranchFirstAndDefault()
    {
        var json = AvroConnectSchemas.ToAvroJson(DebeziumConnectSchemas.Source);

        Assert.Contains(
            """{"name":"snapshot","type":[{"type":"string","connect.version":1,"connect.parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},"connect.default":"false","connect.name":"io.debezium.data.Enum"},"null"],"default":"false"}""",
            json,
            StringComparison.Ordinal);
        Assert.StartsWith("""{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql","fields":[{"name":"version","type":"string"}""", json, StringComparison.Ordinal);
    }

    private static string Hex(string text) => Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(text));

    private static ConnectSchema Struct(ConnectSchema field) =>
        new() { Type = ConnectType.Struct, Name = "t.public.x.Value", Optional = false, Fields = [new ConnectField("c", field)] };

    private static RowImage Row(ConnectSchema field, object? value) => new([new Column("c", value, field)]);

    private static ConnectSchema Required(ConnectType type, string? name = null) =>
        new() { Type = type, Name = name, Optional = false, Version = name is null || name.StartsWith("org.", StringComparison.Ordinal) ? null : 1 };

    private static ConnectSchema Optional(ConnectType type, string? name = null) => Required(type, name) with { Optional = true };

    private static ConnectSchema Enum() =>
        Required(ConnectType.String, ConnectLogicalNames.Enum) with { Parameters = new Dictionary<string, string> { ["allowed"] = "happy,ok,sad" } };

    private static ConnectSchema Decimal(int scale, int precision) => new()
    {
        Type = ConnectType.Bytes,
        Name = ConnectLogicalNames.Decimal,
        Version = 1,
        Optional = false,
        Parameters = new Dictionary<string, string> { ["scale"] = scale.ToString(System.Globalization.CultureInfo.InvariantCulture), ["connect.decimal.precision"] = precision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static ConnectSchema Bits(int length) =>
        Required(ConnectType.Bytes, ConnectLogicalNames.Bits) with { Parameters = new Dictionary<string, string> { ["length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    private static ConnectSchema VariableScaleDecimal() => new()
    {
        Type = ConnectType.Struct,
        Name = ConnectLogicalNames.VariableScaleDecimal,
        Version = 1,
        Optional = false,
        Fields = [new ConnectField("scale", Required(ConnectType.Int32)), new ConnectField("value", Required(ConnectType.Bytes))],
    };
}
