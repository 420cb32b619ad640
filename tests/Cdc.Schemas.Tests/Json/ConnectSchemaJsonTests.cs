using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Json;

public class ConnectSchemaJsonTests
{
    [Fact]
    public void Parse_RealEnvelopeSchema_AllAttributes()
    {
        var schema = ConnectSchemaJson.Parse(ValueSchemaOf("all-types.schema.json"));

        Assert.Equal(ConnectType.Struct, schema.Type);
        Assert.Equal("dbserver1.public.all_types.Envelope", schema.Name);
        Assert.Equal(2, schema.Version);
        Assert.False(schema.Optional);
        Assert.Equal(["before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"], schema.Fields.Select(f => f.Name));
        var after = schema.FindField("after")!.Schema;
        Assert.True(after.Optional);
        var numeric = after.FindField("c_numeric")!.Schema;
        Assert.Equal(ConnectLogicalNames.Decimal, numeric.Name);
        Assert.Equal("2", numeric.Parameter("scale"));
        Assert.Equal("7", numeric.Parameter("connect.decimal.precision"));
        Assert.Equal(1, numeric.Version);
        var variable = after.FindField("c_numeric_var")!.Schema;
        Assert.Equal(["scale", "value"], variable.Fields.Select(f => f.Name));
        Assert.False(variable.Fields[0].Schema.Optional);
        var array = after.FindField("c_numeric_arr")!.Schema;
        Assert.Equal(ConnectType.Array, array.Type);
        Assert.Equal(ConnectLogicalNames.Decimal, array.Items!.Name);
        var snapshot = schema.FindField("source")!.Schema.FindField("snapshot")!.Schema;
        Assert.Equal("false", snapshot.DefaultValue);
        Assert.Equal("happy,ok,sad", after.FindField("c_enum")!.Schema.Parameter("allowed"));
    }

    [Fact]
    public void Parse_DefaultValue_ConvertedLikeAValue()
    {
        var schema = ConnectSchemaJson.Parse(Parse("""{"type":"int64","optional":false,"name":"io.debezium.time.MicroTimestamp","version":1,"default":0}"""));

        Assert.Equal(DateTime.UnixEpoch, schema.DefaultValue);
        Assert.Equal(DateTimeKind.Unspecified, ((DateTime)schema.DefaultValue!).Kind);
    }

    [Fact]
    public void Parse_MapAndUppercaseTypeNames()
    {
        var schema = ConnectSchemaJson.Parse(Parse("""{"type":"MAP","keys":{"type":"String","optional":false},"values":{"type":"float64","optional":true},"optional":true}"""));

        Assert.Equal(ConnectType.Map, schema.Type);
        Assert.Equal(ConnectType.String, schema.Keys!.Type);
        Assert.False(schema.Keys.Optional);
        Assert.Equal(ConnectType.Float64, schema.Values!.Type);
        Assert.Equal(ConnectType.Float32, ConnectSchemaJson.Parse(Parse("""{"type":"float"}""")).Type);
    }

    [Fact]
    public void Parse_OptionalAbsent_IsRequired()
    {
        Assert.False(ConnectSchemaJson.Parse(Parse("""{"type":"string"}""")).Optional);
    }

    [Theory]
    [InlineData("""{"optional":true}""", "schema: schema without a string 'type'")]
    [InlineData("""{"type":"decimal"}""", "schema: unknown schema type \"decimal\"")]
    [InlineData("""{"type":"array"}""", "schema: schema without 'items'")]
    [InlineData("""{"type":"struct","fields":[{"type":"int32"}]}""", "schema: [0]: struct field without a 'field' name")]
    [InlineData("""{"type":"struct","fields":[{"type":"struct","field":"after","fields":[{"type":"array","field":"tags","items":{"type":"nope"}}]}]}""", "schema: after.tags.items: unknown schema type \"nope\"")]
    [InlineData("""{"type":"int32","default":"x"}""", "schema: default: expected an integer in the int32 range for int32, got a string")]
    [InlineData("""{"type":"int32","parameters":[]}""", "schema: 'parameters' must be an object, got an array")]
    [InlineData("[]", "schema: expected a schema object, got an array")]
    public void Parse_Malformed_ThrowsWithPath(string json, string message)
    {
        var error = Assert.Throws<EventDecodeException>(() => ConnectSchemaJson.Parse(Parse(json)));

        Assert.Equal(message, error.Message);
    }

    private static JsonElement Parse(string json) => TestSchemas.Parse(json);

    private static JsonElement ValueSchemaOf(string fixture)
    {
        var record = GoldenFixture.Load(fixture).Records[0];
        using var document = JsonDocument.Parse(record.Value);
        return document.RootElement.GetProperty("schema").Clone();
    }
}
