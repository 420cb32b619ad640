using System.Text.Json.Nodes;
using Cdc.DevKit;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>schemas/avro/*.avsc are exactly what the encoder registers for the demo <c>orders</c> table (AvroConverter's output).</summary>
public class AvscFilesTests
{
    public static TheoryData<string, bool> Files() => new()
    {
        { "shop.public.orders-key.avsc", true },
        { "shop.public.orders-value.avsc", false },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Avsc_EqualsTheSchemaTheEncoderRegisters(string file, bool isKey)
    {
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "avro", file)));
        var generated = JsonNode.Parse(AvroConnectSchemas.ToAvroJson(isKey ? DemoOrdersSchema.Key() : DemoOrdersSchema.Envelope()));

        Assert.True(JsonNode.DeepEquals(committed, generated), $"{file} differs from AvroConnectSchemas.ToAvroJson: regenerate it");
    }

    [Fact]
    public void Avsc_Value_ParsesAndMapsBackToDebeziumsConnectSchema()
    {
        var avro = global::Avro.Schema.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "avro", "shop.public.orders-value.avsc")));

        var connect = AvroConnectSchemas.ToConnect(avro);

        Assert.Equal("shop.public.orders.Envelope", connect.Name);
        var after = connect.FindField("after")!.Schema;
        var amount = after.FindField("amount")!.Schema;
        Assert.Equal(ConnectLogicalNames.Decimal, amount.Name);
        Assert.Equal("2", amount.Parameter("scale"));
        Assert.Equal("12", amount.Parameter("connect.decimal.precision"));
        Assert.Equal(ConnectLogicalNames.ZonedTimestamp, after.FindField("updated_at")!.Schema.Name);
        Assert.False(after.FindField("id")!.Schema.Optional);
        Assert.True(after.FindField("note")!.Schema.Optional);
        Assert.Equal(DebeziumConnectSchemas.SourceName, connect.FindField("source")!.Schema.Name);
        Assert.Equal("false", connect.FindField("source")!.Schema.FindField("snapshot")!.Schema.DefaultValue);
    }
}
