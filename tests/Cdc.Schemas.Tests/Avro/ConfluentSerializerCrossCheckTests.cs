using Cdc.Registry;
using Avro.Generic;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>
/// The other direction: a record written by Confluent's <c>AvroSerializer</c> (which registers its schema) with a schema
/// shaped as older Debezium/AvroConverter versions registered it (an unnamed transaction struct,
/// <c>ConnectDefault</c>; a column default; a decimal logical type) decodes as expected.
/// </summary>
public sealed class ConfluentSerializerCrossCheckTests
{
    private const string Envelope = """
        {"type":"record","name":"Envelope","namespace":"inv.public.items","fields":[
          {"name":"before","type":["null",{"type":"record","name":"Value","fields":[
            {"name":"id","type":{"type":"int","connect.default":0},"default":0},
            {"name":"qty","type":["null",{"type":"int","connect.type":"int16"}],"default":null},
            {"name":"price","type":["null",{"type":"bytes","scale":2,"precision":8,"connect.version":1,"connect.parameters":{"scale":"2","connect.decimal.precision":"8"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}],"default":null},
            {"name":"sku","type":["null",{"type":"string","connect.version":1,"connect.name":"io.debezium.data.Uuid"}],"default":null},
            {"name":"added","type":[{"type":"long","connect.version":1,"connect.default":0,"connect.name":"io.debezium.time.MicroTimestamp"},"null"],"default":0}
          ],"connect.name":"inv.public.items.Value"}],"default":null},
          {"name":"after","type":["null","Value"],"default":null},
          {"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql","fields":[
            {"name":"version","type":"string"},{"name":"connector","type":"string"},{"name":"name","type":"string"},
            {"name":"ts_ms","type":"long"},
            {"name":"snapshot","type":[{"type":"string","connect.version":1,"connect.parameters":{"allowed":"true,last,false"},"connect.default":"false","connect.name":"io.debezium.data.Enum"},"null"],"default":"false"},
            {"name":"db","type":"string"},{"name":"schema","type":"string"},{"name":"table","type":"string"},
            {"name":"txId","type":["null","long"],"default":null},{"name":"lsn","type":["null","long"],"default":null},
            {"name":"xmin","type":["null","long"],"default":null}],"connect.name":"io.debezium.connector.postgresql.Source"}},
          {"name":"op","type":"string"},
          {"name":"ts_ms","type":["null","long"],"default":null},
          {"name":"transaction","type":["null",{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[
            {"name":"id","type":"string"},{"name":"total_order","type":"long"},{"name":"data_collection_order","type":"long"}]}],"default":null}
        ],"connect.name":"inv.public.items.Envelope"}
        """;

    [Fact]
    public async Task Decode_RecordWrittenByApacheAvro_ValuesSourceAndTransaction()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        using var confluent = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = registry.Url });
        var value = await new Confluent.SchemaRegistry.Serdes.AvroSerializer<GenericRecord>(confluent).SerializeAsync(
            Change(), new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "inv.public.items"));
        using var client = new ConfluentSchemaRegistry(registry.Url);

        var change = (await new DebeziumAvroDecoder(client).DecodeAsync("inv.public.items", null, value)).Event!;

        Assert.Equal(ChangeOperation.Update, change.Operation);
        Assert.Null(change.Before);
        Assert.Equal(7, RowAssert.Value(change.After, "id"));
        Assert.Equal((short)-3, RowAssert.Value(change.After, "qty"));
        Assert.Equal(new ExactDecimal(123456, 2), RowAssert.Value(change.After, "price"));
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), RowAssert.Value(change.After, "sku"));
        Assert.Equal(new DateTime(2019, 5, 28, 8, 58, 24, 863, 769), RowAssert.Value(change.After, "added"));
        Assert.True(change.After!.TryGet("added", out var added));
        Assert.Equal(new DateTime(1970, 1, 1), added.Schema!.DefaultValue);
        Assert.True(added.Schema.Optional);
        Assert.True(change.After.TryGet("qty", out var qty));
        Assert.Equal(ConnectType.Int16, qty.Schema!.Type);
        Assert.Equal("last", change.Source.Snapshot);
        Assert.Null(change.Source.Sequence);
        Assert.Equal(new ChangeVersion(0, 9000), change.Source.ChangeVersion);
        Assert.Equal(new TransactionBlock("571:9000", 3, 1), change.Transaction);
    }

    private static GenericRecord Change()
    {
        var schema = (global::Avro.RecordSchema)global::Avro.Schema.Parse(Envelope);
        var rowSchema = (global::Avro.RecordSchema)((global::Avro.UnionSchema)schema["after"].Schema).Schemas[1];
        var row = new GenericRecord(rowSchema);
        row.Add("id", 7);
        row.Add("qty", -3);
        row.Add("price", new global::Avro.AvroDecimal(1234.56m));
        row.Add("sku", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        row.Add("added", 1559033904863769L);
        var source = new GenericRecord((global::Avro.RecordSchema)schema["source"].Schema);
        foreach (var (field, text) in new[] { ("version", "1.9.7.Final"), ("connector", "postgresql"), ("name", "inv"), ("snapshot", "last"), ("db", "inv"), ("schema", "public"), ("table", "items") })
        {
            source.Add(field, text);
        }

        source.Add("ts_ms", 1_559_033_904_000L);
        source.Add("txId", 571L);
        source.Add("lsn", 9000L);
        source.Add("xmin", null);
        var transactionSchema = (global::Avro.RecordSchema)((global::Avro.UnionSchema)schema["transaction"].Schema).Schemas[1];
        var transaction = new GenericRecord(transactionSchema);
        transaction.Add("id", "571:9000");
        transaction.Add("total_order", 3L);
        transaction.Add("data_collection_order", 1L);
        var envelope = new GenericRecord(schema);
        envelope.Add("before", null);
        envelope.Add("after", row);
        envelope.Add("source", source);
        envelope.Add("op", "u");
        envelope.Add("ts_ms", 1_559_033_904_100L);
        envelope.Add("transaction", transaction);

        return envelope;
    }
}
