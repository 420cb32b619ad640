using Cdc.Registry;
using Avro.Generic;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>An independent reader agrees: Apache.Avro's generic reader reads the encoder's all-types bytes with the registered schema.</summary>
public sealed class ApacheAvroCrossCheckTests
{
    [Fact]
    public async Task GenericDatumReader_AllTypesValue_ReadsEveryByteAndTheValues()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        using var client = new ConfluentSchemaRegistry(registry.Url);
        var converted = await AvroFixtures.ConvertAsync(GoldenFixture.Load("all-types.schema.json"), new DebeziumAvroEncoder(client));
        var (id, body) = ConfluentWireFormat.Read(converted[0].Value!);
        var schema = global::Avro.Schema.Parse(await client.GetSchemaAsync(id));
        using var stream = new MemoryStream(body.ToArray());

        var envelope = new GenericDatumReader<GenericRecord>(schema, schema).Read(null!, new global::Avro.IO.BinaryDecoder(stream));

        Assert.Equal(stream.Length, stream.Position);
        Assert.Equal("c", envelope["op"]);
        var after = (GenericRecord)envelope["after"];
        Assert.Equal(18044, after["c_date"]);
        Assert.Equal(1559033904863769L, after["c_ts6"]);
        Assert.Equal("2019-05-28T09:38:24.863769Z", after["c_tstz"]);
        Assert.Equal(123.45m, ((global::Avro.AvroDecimal)after["c_numeric"]).ToType<decimal>());
        Assert.Equal(new object?[] { 1, null, -3 }, (object?[])after["c_int_arr"]);
        var source = (GenericRecord)envelope["source"];
        Assert.Equal("false", source["snapshot"]);
        Assert.Equal(24028100L, source["lsn"]);
    }
}
