using Cdc.Schemas.Model;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Sink.Tests.Support;
using Cdc.Store.Failures;
using Cdc.Store.Mapping;
using Cdc.Testing;
using static Cdc.Sink.Tests.Support.Events;

namespace Cdc.Sink.Tests.Store;

/// <summary>The guarded, set-based apply against a real PostgreSQL.</summary>
public sealed class BatchApplierTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Orders = "SELECT id, status, note FROM public.orders ORDER BY id";

    private async Task<StoreHarness> HarnessAsync(SinkOptions? options = null)
    {
        var harness = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync(), options);
        await harness.ExecuteAsync("CREATE TABLE public.orders (id bigint PRIMARY KEY, status text, note text)");
        return harness;
    }

    [Fact]
    public async Task Apply_CreateUpdateDelete_EndsWithNetEffect()
    {
        await using var store = await HarnessAsync();

        await store.ApplyAsync(
            Change(ChangeOperation.Create, 1, (10, 11), ("status", "new"), ("note", "a")),
            Change(ChangeOperation.Create, 2, (10, 12), ("status", "new"), ("note", "b")),
            Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid"), ("note", "a")),
            Change(ChangeOperation.Delete, 2, (20, 22)));

        Assert.Equal(["1|paid|a"], await store.RowsAsync(Orders));
    }

    [Fact]
    public async Task Apply_SameBatchTwice_LeavesStoreUnchanged()
    {
        await using var store = await HarnessAsync();
        DecodedRecord[] batch = [Change(ChangeOperation.Create, 1, (10, 11), ("status", "new")), Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid"))];

        await store.ApplyAsync(batch);
        await store.ApplyAsync(batch);

        Assert.Equal(["1|paid|NULL"], await store.RowsAsync(Orders));
        Assert.Equal(["20|21"], await store.RowsAsync("SELECT _cdc_commit_lsn, _cdc_event_lsn FROM public.orders"));
    }

    [Fact]
    public async Task Apply_OlderEventInLaterBatch_DoesNotOverwriteNewer()
    {
        await using var store = await HarnessAsync();
        await store.ApplyAsync(Change(ChangeOperation.Update, 1, (30, 31), ("status", "shipped")));

        await store.ApplyAsync(Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid")));

        Assert.Equal(["1|shipped|NULL"], await store.RowsAsync(Orders));
    }

    [Fact]
    public async Task Apply_OldCreateAfterDelete_DoesNotResurrectRow()
    {
        await using var store = await HarnessAsync();
        await store.ApplyAsync(Change(ChangeOperation.Create, 1, (10, 11), ("status", "new")));
        await store.ApplyAsync(Change(ChangeOperation.Delete, 1, (20, 21)));

        await store.ApplyAsync(Change(ChangeOperation.Create, 1, (10, 11), ("status", "new")));

        Assert.Empty(await store.RowsAsync(Orders));
        Assert.Equal(["public.orders|[\"1\"]|20|21"], await store.RowsAsync("SELECT target_table, row_key, commit_lsn, event_lsn FROM cdc.tombstones"));
    }

    [Fact]
    public async Task Apply_NewerCreateAfterDelete_RecreatesRow()
    {
        await using var store = await HarnessAsync();
        await store.ApplyAsync(Change(ChangeOperation.Delete, 1, (20, 21)));

        await store.ApplyAsync(Change(ChangeOperation.Create, 1, (30, 31), ("status", "again")));

        Assert.Equal(["1|again|NULL"], await store.RowsAsync(Orders));
    }

    [Fact]
    public async Task Apply_IncrementalSnapshotRead_AppliesWhereItArrivesEvenWithOlderSequence()
    {
        await using var store = await HarnessAsync();
        await store.ApplyAsync(Change(ChangeOperation.Update, 1, (30, 31), ("status", "streamed")));

        await store.ApplyAsync(Change(ChangeOperation.Read, 1, (20, 21), incremental: true, ("status", "re-read")));
        await store.ApplyAsync(Change(ChangeOperation.Update, 1, (30, 31), ("status", "streamed")));

        Assert.Equal(["1|re-read|NULL"], await store.RowsAsync(Orders));
        Assert.Equal(["30|31"], await store.RowsAsync("SELECT _cdc_commit_lsn, _cdc_event_lsn FROM public.orders"));
    }

    [Fact]
    public async Task Apply_UnavailableToast_KeepsStoredColumn()
    {
        await using var store = await HarnessAsync();
        await store.ApplyAsync(Change(ChangeOperation.Create, 1, (10, 11), ("status", "new"), ("note", "a very long toasted text")));

        await store.ApplyAsync(Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid"), ("note", Unavailable.Value)));

        Assert.Equal(["1|paid|a very long toasted text"], await store.RowsAsync(Orders));
        Assert.Empty(await store.RowsAsync("SELECT 1 FROM public.orders WHERE note LIKE '%debezium%'"));
    }

    [Fact]
    public async Task Apply_HstoreAndBitColumns_TakeDebeziumJsonTextAndBooleans()
    {
        await using var store = await HarnessAsync();
        await store.ExecuteAsync("CREATE EXTENSION hstore; ALTER TABLE public.orders ADD COLUMN attrs hstore, ADD COLUMN flag bit(1), ADD COLUMN flags bit(1)[]");

        await store.ApplyAsync(Change(
            ChangeOperation.Create, 1, (10, 11), ("attrs", """{"a":"1","b":null,"q\"":"x\\y"}"""), ("flag", true), ("flags", new object?[] { false, null, true })));

        Assert.Equal(
            ["1|\"a\"=>\"1\", \"b\"=>NULL, \"q\\\"\"=>\"x\\\\y\"|1|{0,NULL,1}"],
            await store.RowsAsync("SELECT id, attrs::text, flag::text, flags::text FROM public.orders"));
    }

    [Fact]
    public async Task Apply_ValueTheTypeRejectsWithInternalError_IsClassifiedAsData()
    {
        await using var store = await HarnessAsync();
        await store.ExecuteAsync("CREATE EXTENSION hstore; ALTER TABLE public.orders ADD COLUMN attrs hstore");

        // hstore's parser raises XX000, not a data exception: the COPY context names the value's column.
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => store.ApplyAsync(Change(ChangeOperation.Create, 1, (10, 11), ("attrs", "{not json"))));

        Assert.Equal("XX000", error.SqlState);
        Assert.Equal(FailureKind.Data, StoreFailures.Classify(error));
    }

    [Fact]
    public async Task Apply_Truncate_RemovesOlderRowsAndBlocksTheirRedelivery()
    {
        await using var store = await HarnessAsync();
        await store.ApplyAsync(
            Change(ChangeOperation.Create, 1, (10, 11), ("status", "old")),
            Change(ChangeOperation.Create, 2, (40, 41), ("status", "after-truncate")));

        await store.ApplyAsync(Truncate((30, 31)));
        await store.ApplyAsync(Change(ChangeOperation.Create, 1, (10, 11), ("status", "old")));

        Assert.Equal(["2|after-truncate|NULL"], await store.RowsAsync(Orders));
    }

    [Fact]
    public async Task Apply_SoftDeleteMode_FlagsRowAndKeepsIt()
    {
        await using var store = await HarnessAsync(new SinkOptions { Defaults = { DeleteMode = DeleteMode.Soft } });
        await store.ExecuteAsync("ALTER TABLE public.orders ADD COLUMN _cdc_deleted boolean NOT NULL DEFAULT false");
        await store.ApplyAsync(Change(ChangeOperation.Create, 1, (10, 11), ("status", "new")));

        await store.ApplyAsync(Change(ChangeOperation.Delete, 1, (20, 21)));
        await store.ApplyAsync(Change(ChangeOperation.Update, 1, (15, 16), ("status", "stale")));

        Assert.Equal(["1|new|True"], await store.RowsAsync("SELECT id, status, _cdc_deleted FROM public.orders"));
    }

    [Fact]
    public async Task Apply_MissingTable_IsCreatedFromEventSchemaWithKey()
    {
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());

        await store.ApplyAsync(Change(ChangeOperation.Create, 7, (10, 11), ("status", "new")));

        Assert.Equal(["7|new"], await store.RowsAsync("SELECT id, status FROM public.orders"));
        Assert.Equal(["id"], await store.RowsAsync("""
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = 'public.orders'::regclass AND i.indisprimary
            """));
    }

    [Fact]
    public async Task Apply_HostileIdentifiers_AreData()
    {
        var table = "ord\"ers; DROP TABLE x; --ü";
        var column = "sta\"tus';--";
        var options = new SinkOptions { Defaults = { Table = table, Rename = { ["status"] = column } } };
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync(), options);
        await store.ExecuteAsync("CREATE TABLE x (id int)");

        await store.ApplyAsync(Change(ChangeOperation.Create, 1, (10, 11), ("status", "it's \"quoted\"\t\\")));
        await store.ApplyAsync(Change(ChangeOperation.Delete, 1, (20, 21)));
        await store.ApplyAsync(Change(ChangeOperation.Create, 2, (30, 31), ("status", "two")));

        Assert.Equal(["2|two"], await store.RowsAsync("""SELECT id, "sta""tus';--" FROM public."ord""ers; DROP TABLE x; --ü" """));
        Assert.Equal(["0"], await store.RowsAsync("SELECT count(*) FROM x"));
    }

    [Fact]
    public async Task Apply_StoresNextOffsetWithRows()
    {
        await using var store = await HarnessAsync();
        var first = Change(ChangeOperation.Create, 1, (10, 11), ("status", "new"));
        var last = Change(ChangeOperation.Create, 2, (10, 12), ("status", "new"));

        await store.ApplyAsync(first, last);

        Assert.Equal([$"shop.public.orders|0|{last.Record.Offset + 1}|10|12"],
            await store.RowsAsync("SELECT topic, partition, next_offset, commit_lsn, event_lsn FROM cdc.offsets WHERE consumer_group = 'test-group'"));
    }
}
