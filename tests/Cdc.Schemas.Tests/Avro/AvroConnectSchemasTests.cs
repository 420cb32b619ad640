using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>Avro schemas written by other producers than AvroConverter, and schemas Java Avro accepts but Apache.Avro would not.</summary>
public class AvroConnectSchemasTests
{
    [Fact]
    public void ToConnect_PlainAvroLogicalTypes_ConnectLogicalNames()
    {
        var schema = AvroConnectSchemas.ToConnect("""
            {"type":"record","name":"R","namespace":"n","fields":[
              {"name":"d","type":{"type":"int","logicalType":"date"}},
              {"name":"t","type":{"type":"int","logicalType":"time-millis"}},
              {"name":"ts","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null},
              {"name":"m","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":3}}]}
            """);

        Assert.Equal("n.R", schema.Name);
        Assert.Equal(ConnectLogicalNames.ConnectDate, schema.FindField("d")!.Schema.Name);
        Assert.Equal(ConnectLogicalNames.ConnectTime, schema.FindField("t")!.Schema.Name);
        var ts = schema.FindField("ts")!.Schema;
        Assert.Equal(ConnectLogicalNames.ConnectTimestamp, ts.Name);
        Assert.True(ts.Optional);
        var m = schema.FindField("m")!.Schema;
        Assert.Equal(ConnectLogicalNames.Decimal, m.Name);
        Assert.Equal("3", m.Parameter("scale"));
        Assert.Equal("9", m.Parameter("connect.decimal.precision"));
    }

    [Fact]
    public void ToConnect_DecimalScaleAbovePrecision_AcceptedAsJavaAvroDoes()
    {
        var schema = AvroConnectSchemas.ToConnect("""
            {"type":"bytes","scale":5,"precision":2,"connect.version":1,"connect.parameters":{"scale":"5","connect.decimal.precision":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}
            """);

        Assert.Equal(ConnectLogicalNames.Decimal, schema.Name);
        Assert.Equal("5", schema.Parameter("scale"));
        Assert.Equal(1, schema.Version);
    }

    [Fact]
    public void ToConnect_UnknownLogicalType_Ignored()
    {
        var schema = AvroConnectSchemas.ToConnect("""{"type":"string","logicalType":"varchar","maxLength":20}""");

        Assert.Equal(ConnectType.String, schema.Type);
        Assert.Null(schema.Name);
        Assert.False(schema.Optional);
    }

    [Fact]
    public void ToConnect_UnionOfTwoTypes_NotRepresentable()
    {
        var error = Assert.Throws<EventDecodeException>(() => AvroConnectSchemas.ToConnect("""["null","string","long"]"""));

        Assert.Contains("more than one non-null branch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToConnect_NotJson_DecodeException() =>
        Assert.Throws<EventDecodeException>(() => AvroConnectSchemas.ToConnect("{not json"));

    [Fact]
    public void ToAvroJson_Int16AndMapWithIntKeys_AsAvroDataWritesThem()
    {
        var map = new ConnectSchema
        {
            Type = ConnectType.Map,
            Optional = false,
            Keys = new ConnectSchema { Type = ConnectType.Int16, Optional = false },
            Values = new ConnectSchema { Type = ConnectType.String, Optional = true },
        };

        var json = AvroConnectSchemas.ToAvroJson(map);

        Assert.Equal(
            """{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":{"type":"int","connect.type":"int16"}},{"name":"value","type":["null","string"],"default":null}]}}""",
            json);
        var back = AvroConnectSchemas.ToConnect(json);
        Assert.Equal(ConnectType.Map, back.Type);
        Assert.Equal(ConnectType.Int16, back.Keys!.Type);
        Assert.True(back.Values!.Optional);
    }
}
