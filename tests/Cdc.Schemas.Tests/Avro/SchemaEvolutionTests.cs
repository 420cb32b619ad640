using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>A column added to the table: the new value schema registers as version 2; old and new messages decode side by side.</summary>
public sealed class SchemaEvolutionTests : IAsyncLifetime
{
    private EmbeddedSchemaRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await EmbeddedSchemaRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Decode_MixedBatchOfV1AndV2Messages_EachWithItsOwnColumns()
    {
        using var producerClient = new ConfluentSchemaRegistry(_registry.Url);
        var encoder = new DebeziumAvroEncoder(producerClient);
        var v1 = OrdersAvro.Envelope(withNote: false);
        var v2 = OrdersAvro.Envelope(withNote: true);
        var old1 = await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, v1, OrdersAvro.Upsert(1, "new", 1, lsn: 100));
        var new1 = await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, v2, OrdersAvro.Upsert(2, "paid", 2, "gift", withNote: true, lsn: 200));
        var old2 = await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, v1, OrdersAvro.Upsert(3, "new", 3, lsn: 150));

        using var confluent = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = _registry.Url });
        var lookup = await confluent.LookupSchemaAsync(
            TopicNameStrategy.ValueSubject(OrdersAvro.Topic), new Confluent.SchemaRegistry.Schema(encoder.AvroSchemaOf(v2), Confluent.SchemaRegistry.SchemaType.Avro), ignoreDeletedSchemas: true);
        Assert.Equal(2, lookup.Version);
        Assert.NotEqual(Id(old1.Value!), Id(new1.Value!));
        Assert.Equal(Id(old1.Value!), Id(old2.Value!));

        using var sinkClient = new ConfluentSchemaRegistry(_registry.Url);
        var decoder = new DebeziumAvroDecoder(sinkClient);
        var batch = new List<Cdc.Schemas.Model.ChangeRecord>();
        foreach (var r in new[] { old1, new1, old2 })
        {
            batch.Add(await decoder.DecodeAsync(OrdersAvro.Topic, r.Key, r.Value));
        }


        Assert.Equal(["id", "status", "qty"], batch[0].Event!.After!.Select(c => c.Name));
        Assert.Equal(["id", "status", "qty", "note"], batch[1].Event!.After!.Select(c => c.Name));
        Assert.Equal("gift", RowAssert.Value(batch[1].Event!.After, "note"));
        Assert.Equal(3L, RowAssert.Value(batch[2].Event!.After, "id"));
        Assert.Equal(3, decoder.CachedSchemaCount); // the key schema and two value schemas
    }

    [Fact]
    public async Task Register_NewRequiredColumn_RejectedAsIncompatible()
    {
        using var client = new ConfluentSchemaRegistry(_registry.Url);
        var encoder = new DebeziumAvroEncoder(client);
        await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(withNote: false), OrdersAvro.Upsert(1, "new", 1));
        var required = OrdersAvro.Envelope(withNote: true);
        var after = required.Fields[1].Schema;
        var breaking = required with
        {
            Fields = [.. required.Fields.Select(f => f.Name is "before" or "after"
                ? f with { Schema = after with { Fields = [.. after.Fields.Select(c => c.Name == "note" ? c with { Schema = c.Schema with { Optional = false } } : c)] } }
                : f)],
        };

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, breaking, OrdersAvro.Upsert(2, "x", 1, "n", withNote: true)));

        Assert.Equal(SchemaRegistryErrorCodes.IncompatibleSchema, error.ErrorCode);
    }

    private static int Id(byte[] framed) => ConfluentWireFormat.Read(framed).SchemaId;
}
