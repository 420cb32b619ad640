using Cdc.Schemas;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Sink.Tests.Support;
using Cdc.Sink.Worker;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Mapping;
using Cdc.Testing;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cdc.Sink.Tests.Worker;

public sealed class ApplyLaneTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Topic = "shop.public.orders";

    [Fact]
    public async Task ApplyAsync_BatchRetriedAfterTheStoreConnectionBroke_DecodesItsRecordsOnceAndAppliesThem()
    {
        await using var store = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using (var create = store.CreateCommand("CREATE TABLE public.orders (id bigint PRIMARY KEY, status text, qty int, _cdc_commit_lsn bigint, _cdc_event_lsn bigint)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var options = new SinkOptions();
        var metadata = new MetadataTables(options.MetadataSchema);
        await metadata.EnsureAsync(store, CancellationToken.None);
        var router = new TableRouter(options);
        var decoder = new CountingDecoder(new DebeziumJsonDecoder());
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = "127.0.0.1:1" }).Build();
        using var metrics = new SinkMetrics();
        var context = new ApplyLaneContext(
            store,
            new RecordDecoder(decoder, options.MaxRecordBytes),
            new PlanPreparer(router, new BatchPlanner(router), new TableCatalog(store), new SchemaManager(store), NullLogger.Instance),
            new BatchApplier(metadata, "lane"),
            new DeadLetterPublisher(producer, "lane.dlq", "lane", "test"),
            metrics,
            NullLogger.Instance,
            TimeProvider.System);
        await using var lane = new ApplyLane(context);
        await lane.ApplyAsync([Record(0, id: 1)], CancellationToken.None);

        // The lane keeps its connection between batches: end it behind the lane's back, so the next batch fails on the
        // store after its records were decoded, and the worker retries the same batch.
        await using (var kill = store.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        {
            await kill.ExecuteNonQueryAsync();
        }

        store.Clear();
        List<SinkRecord> batch = [Record(1, id: 2), Record(2, id: 3)];
        var before = decoder.Calls;
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => lane.ApplyAsync(batch, CancellationToken.None));
        await lane.ApplyAsync(batch, CancellationToken.None);

        Assert.Equal(batch.Count, decoder.Calls - before);
        await using var count = store.CreateCommand("SELECT count(*) FROM public.orders");
        Assert.Equal(3L, await count.ExecuteScalarAsync());
    }

    private static SinkRecord Record(long offset, long id) =>
        new(Topic, 0, offset, DebeziumText.Key(id), DebeziumText.Change('c', id, version: id, status: "new"), null);

    private sealed class CountingDecoder(IChangeEventDecoder inner) : IChangeEventDecoder
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask PrepareAsync(IEnumerable<byte[]?> payloads, CancellationToken cancellationToken = default) =>
            inner.PrepareAsync(payloads, cancellationToken);

        public ChangeRecord Decode(string topic, byte[]? key, byte[]? value)
        {
            Interlocked.Increment(ref _calls);
            return inner.Decode(topic, key, value);
        }

        public RowImage DecodeStruct(string topic, byte[] value) => inner.DecodeStruct(topic, value);
    }
}
