using Cdc.Registry;
using Avro.Generic;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>The reference reader agrees: Confluent's <c>AvroDeserializer</c> reads the encoder's all-types bytes through the registry.</summary>
public sealed class ConfluentDeserializerCrossCheckTests
{
    [Fact]
    public async Task ConfluentDeserializer_AllTypesValue_ReadsTheValues()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        using var client = new ConfluentSchemaRegistry(registry.Url);
        var converted = await AvroFixtures.ConvertAsync(GoldenFixture.Load("all-types.schema.json"), new DebeziumAvroEncoder(client));
        using var confluent = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = registry.Url });

        var envelope = await new Confluent.SchemaRegistry.Serdes.AvroDeserializer<GenericRecord>(confluent).DeserializeAsync(
            converted[0].Value, isNull: false, new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "dbserver1.public.all_types"));

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
