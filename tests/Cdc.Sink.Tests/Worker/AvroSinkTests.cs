using Cdc.Schemas.Registry;
using Cdc.Registry;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Worker;

/// <summary>
/// <c>--format avro</c> end to end: AvroConverter-style records (Confluent framing, schemas in a registry test
/// double) through mock Kafka into real PostgreSQL give the store the JSON path gives for the same changes.
/// </summary>
public sealed class AvroSinkTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_SameChangesAsJsonAndAsAvro_SameStore()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        await using var json = await SinkTestBed.CreateAsync(postgres, kafka);
        await using var avro = await SinkTestBed.CreateAsync(postgres, kafka);
        using var producer = new AvroOrders(kafka, avro.Options.Kafka.Topics[0], registry.Url);
        await ProduceBothAsync(json.Model, producer);

        await using (var jsonSink = await SinkRunner.StartAsync(json.Options))
        {
            await json.UntilInSyncAsync(Timeout);
        }

        avro.Options.Format = "avro";
        avro.Options.SchemaRegistry[SchemaRegistrySettings.Url] = registry.Url;
        await using var avroSink = await SinkRunner.StartAsync(avro.Options);
        var expected = await json.Store.RowsAsync(OrdersModel.SelectRows);
        await Wait.UntilAsync(async () => (await avro.RowsOrEmptyAsync()).SequenceEqual(expected), Timeout, "the Avro store to equal the JSON store");

        Assert.Equal(json.Model.ExpectedRows, expected);
        Assert.Equal(80, expected.Count);
    }

    [Fact]
    public async Task Run_RegistryDownAtStart_RecordsWaitThenApplyNoneDeadLettered()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        await using var json = await SinkTestBed.CreateAsync(postgres, kafka);
        await using var avro = await SinkTestBed.CreateAsync(postgres, kafka);
        using var producer = new AvroOrders(kafka, avro.Options.Kafka.Topics[0], registry.Url);
        await ProduceBothAsync(json.Model, producer);
        await registry.StopAsync();
        avro.Options.Format = "avro";
        avro.Options.SchemaRegistry[SchemaRegistrySettings.Url] = registry.Url;
        avro.Options.SchemaRegistry[SchemaRegistrySettings.MaxRetries] = "0";

        await using var sink = await SinkRunner.StartAsync(avro.Options);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(await avro.RowsOrEmptyAsync());
        Assert.Equal(0, sink.Sink.Worker.RecordsApplied);

        await registry.RestartAsync();
        await Wait.UntilAsync(async () => (await avro.RowsOrEmptyAsync()).SequenceEqual(json.Model.ExpectedRows), Timeout, "the store to catch up once the registry is back");
    }

    // 100 creates, 50 updates, 20 deletes (each followed by a tombstone) to both topics, in the same order.
    private static async Task ProduceBothAsync(OrdersModel json, AvroOrders avro)
    {
        long version = 1;
        for (var id = 1; id <= 100; id++)
        {
            json.Upsert(id, "new", id);
            await avro.ChangeAsync('c', id, version++, "new", id);
        }

        for (var id = 1; id <= 100; id += 2)
        {
            json.Upsert(id, "paid", id * 2);
            await avro.ChangeAsync('u', id, version++, "paid", id * 2);
        }

        for (var id = 1; id <= 100; id += 5)
        {
            json.Delete(id);
            await avro.ChangeAsync('d', id, version++);
        }

        json.Flush();
        avro.Flush();
    }
}
