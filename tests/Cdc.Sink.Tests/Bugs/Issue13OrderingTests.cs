using Cdc.Schemas.Model;
using Cdc.Sink.Tests.Support;
using Cdc.Store.Mapping;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Bugs;

/// <summary>
/// Issue 13, item 5: events without <c>source.sequence</c> (Debezium's documented examples, other producers) have a
/// version <c>(0, lsn)</c>. They ranked below every sequenced version, so an update was dropped without a word and a
/// delete left a tombstone but not the row. One row's events are ordered by their own LSN when either side lacks a
/// commit LSN (docs/design.md#change-order-comes-from-the-sequence-not-the-lsn), and what is not applied is counted.
/// </summary>
public sealed class Issue13OrderingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Read = "SELECT id || ':' || coalesce(status, '') || ':' || _cdc_commit_lsn || '/' || _cdc_event_lsn FROM orders ORDER BY id";

    [Fact]
    public async Task Update_without_sequence_after_a_sequenced_create_is_applied_by_its_later_lsn()
    {
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 1, (24_023_119, 24_023_128), ("status", "new")));

        var plan = await store.ApplyAsync(Events.Change(ChangeOperation.Update, 1, (0, 24_023_160), ("status", "paid")));

        Assert.Equal(["1:paid:0/24023160"], await store.RowsAsync(Read));
        Assert.Equal(0, plan.Tables.Values.Single().Superseded);
    }

    [Fact]
    public async Task Delete_without_sequence_removes_the_row_it_deletes()
    {
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 1, (24_023_119, 24_023_128), ("status", "new")));

        await store.ApplyAsync(Events.Change(ChangeOperation.Delete, 1, (0, 46_523_128)));

        Assert.Empty(await store.RowsAsync(Read));
        Assert.Equal(["46523128"], await store.RowsAsync("SELECT event_lsn::text FROM cdc.tombstones"));
    }

    [Fact]
    public async Task Sequenced_change_after_a_sequenceless_one_is_ordered_by_lsn_too()
    {
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 1, (0, 500), ("status", "new")));

        await store.ApplyAsync(Events.Change(ChangeOperation.Update, 1, (450, 600), ("status", "paid")));
        var stale = await store.ApplyAsync(Events.Change(ChangeOperation.Update, 1, (0, 400), ("status", "stale")));

        Assert.Equal(["1:paid:450/600"], await store.RowsAsync(Read));
        Assert.Equal(1, stale.Tables.Values.Single().Superseded);
    }

    [Fact]
    public async Task Sequenceless_events_out_of_lsn_order_in_one_batch_fold_to_the_latest_and_count_the_older()
    {
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());

        var plan = await store.ApplyAsync(
            Events.Change(ChangeOperation.Create, 1, (0, 100), ("status", "new")),
            Events.Change(ChangeOperation.Update, 1, (0, 300), ("status", "shipped")),
            Events.Change(ChangeOperation.Update, 1, (0, 200), ("status", "paid")),
            Events.Change(ChangeOperation.Create, 2, (0, 150), ("status", "new")),
            Events.Change(ChangeOperation.Delete, 2, (0, 250)));

        Assert.Equal(["1:shipped:0/300"], await store.RowsAsync(Read));
        Assert.Equal(1, plan.Tables.Values.Single().Superseded);
    }

    [Fact]
    public async Task Redelivered_delete_older_than_a_recreated_row_leaves_the_row_and_is_counted()
    {
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 1, (10, 20), ("status", "new")));
        await store.ApplyAsync(Events.Change(ChangeOperation.Delete, 1, (10, 30)));
        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 1, (40, 50), ("status", "again")));

        var redelivered = await store.ApplyAsync(Events.Change(ChangeOperation.Delete, 1, (10, 30)));

        Assert.Equal(["1:again:40/50"], await store.RowsAsync(Read));
        Assert.Equal(1, redelivered.Tables.Values.Single().Superseded);
    }

    [Fact]
    public async Task Soft_delete_without_sequence_marks_the_row_deleted()
    {
        var options = new Cdc.Sink.Configuration.SinkOptions { Defaults = { DeleteMode = DeleteMode.Soft } };
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync(), options);
        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 1, (24_023_119, 24_023_128), ("status", "new")));

        await store.ApplyAsync(Events.Change(ChangeOperation.Delete, 1, (0, 46_523_128)));

        Assert.Equal(["1:true"], await store.RowsAsync("SELECT id || ':' || _cdc_deleted FROM orders"));
    }

    [Fact]
    public async Task Truncate_orders_against_sequenceless_rows_by_lsn()
    {
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ApplyAsync(
            Events.Change(ChangeOperation.Create, 1, (0, 100), ("status", "before")),
            Events.Change(ChangeOperation.Create, 2, (0, 150), ("status", "before")));
        await store.ApplyAsync(Events.Truncate((120, 200)));

        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 3, (0, 250), ("status", "after")));
        await store.ApplyAsync(Events.Change(ChangeOperation.Create, 4, (0, 180), ("status", "older")));

        Assert.Equal(["3:after:0/250"], await store.RowsAsync(Read));
    }
}
