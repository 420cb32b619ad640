using System.Numerics;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>
/// Column defaults (Debezium propagates them into the Connect schema) as AvroData writes them: <c>connect.default</c>
/// and the field's <c>default</c> in wire form, the value branch first in an optional's union; and back.
/// </summary>
public class AvroDefaultsTests
{
    private static readonly ConnectSchema Row = new()
    {
        Type = ConnectType.Struct,
        Name = "demo.public.users.Value",
        Optional = true,
        Fields =
        [
            new ConnectField("id", new ConnectSchema { Type = ConnectType.Int32, Optional = false, DefaultValue = 0 }),
            new ConnectField("created_at", new ConnectSchema
            {
                Type = ConnectType.Int64,
                Name = ConnectLogicalNames.MicroTimestamp,
                Version = 1,
                DefaultValue = new DateTime(1970, 1, 1),
            }),
            new ConnectField("price", new ConnectSchema
            {
                Type = ConnectType.Bytes,
                Name = ConnectLogicalNames.Decimal,
                Version = 1,
                Parameters = new Dictionary<string, string> { ["scale"] = "2", ["connect.decimal.precision"] = "10" },
                DefaultValue = new ExactDecimal(new BigInteger(150), 2),
            }),
            new ConnectField("state", new ConnectSchema { Type = ConnectType.String, DefaultValue = "new" }),
        ],
    };

    [Fact]
    public void ToAvroJson_Defaults_InWireFormAndValueBranchFirst()
    {
        var json = AvroConnectSchemas.ToAvroJson(Row with { Optional = false });

        Assert.Contains("""{"name":"id","type":{"type":"int","connect.default":0},"default":0}""", json, StringComparison.Ordinal);
        Assert.Contains(
            """{"name":"created_at","type":[{"type":"long","connect.version":1,"connect.default":0,"connect.name":"io.debezium.time.MicroTimestamp"},"null"],"default":0}""",
            json,
            StringComparison.Ordinal);
        // 1.50 at scale 2: unscaled 150 = 0x0096, written as the ISO-8859-1 characters U+0000 U+0096.
        var price = System.Text.Json.Nodes.JsonNode.Parse(json)!["fields"]![2]!;
        Assert.Equal("\u0000\u0096", (string?)price["type"]![0]!["connect.default"]);
        Assert.Equal("\u0000\u0096", (string?)price["default"]);
        Assert.Contains("""{"name":"state","type":[{"type":"string","connect.default":"new"},"null"],"default":"new"}""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToConnect_Defaults_BackToTheSameValues()
    {
        var back = AvroConnectSchemas.ToConnect(AvroConnectSchemas.ToAvroJson(Row with { Optional = false }));

        Assert.Equal(0, back.FindField("id")!.Schema.DefaultValue);
        Assert.Equal(new DateTime(1970, 1, 1), back.FindField("created_at")!.Schema.DefaultValue);
        Assert.Equal(new ExactDecimal(150, 2), back.FindField("price")!.Schema.DefaultValue);
        Assert.Equal("new", back.FindField("state")!.Schema.DefaultValue);
        Assert.True(back.FindField("state")!.Schema.Optional);
    }

    [Fact]
    public void ToAvroJson_RecordInTheEnclosingNamespace_NamedRelatively()
    {
        var json = AvroConnectSchemas.ToAvroJson(DebeziumConnectSchemas.Envelope("demo.public.users", Row));

        Assert.StartsWith("""{"type":"record","name":"Envelope","namespace":"demo.public.users","fields":[{"name":"before","type":["null",{"type":"record","name":"Value","fields":""", json, StringComparison.Ordinal);
        Assert.Contains("""{"name":"after","type":["null","Value"],"default":null}""", json, StringComparison.Ordinal);
        Assert.Contains("""{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql","fields":""", json, StringComparison.Ordinal);
        Assert.Contains("""{"type":"record","name":"block","namespace":"event","fields":""", json, StringComparison.Ordinal);
        Assert.EndsWith("\"connect.version\":2,\"connect.name\":\"demo.public.users.Envelope\"}", json, StringComparison.Ordinal);
    }
}
