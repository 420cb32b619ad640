using Cdc.Schemas.Model;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Sink.Tests.Support;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;
using Cdc.Store.Writes;
using static Cdc.Sink.Tests.Support.Events;

namespace Cdc.Sink.Tests.Planning;

public sealed class BatchPlannerTests
{
    private static readonly TableInfo Orders = new("public", "orders",
        [new("id", "bigint"), new("status", "text"), new("note", "text"), new(SinkColumns.CommitLsn, "bigint"), new(SinkColumns.EventLsn, "bigint")],
        ["id"]);

    private static BatchPlan Plan(params DecodedRecord[] records) => Plan(Orders, records);

    private static BatchPlan Plan(TableInfo? table, params DecodedRecord[] records) =>
        new BatchPlanner(new TableRouter(new SinkOptions())).Plan(records, _ => table);

    private static RowChange Single(BatchPlan plan) => plan.Tables.Values.Single().Rows.Values.Single();

    [Fact]
    public void Plan_SeveralEventsForOneKey_LastInCommitOrderWins()
    {
        var plan = Plan(
            Change(ChangeOperation.Create, 1, (10, 11), ("status", "new")),
            Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid")),
            Change(ChangeOperation.Update, 1, (30, 31), ("status", "shipped")));

        var row = Single(plan);
        Assert.Equal(ChangeKind.Upsert, row.Kind);
        Assert.Equal("shipped", row.Values["status"]);
        Assert.Equal(new ChangeVersion(30, 31), row.Version);
        Assert.Equal(3, plan.Tables.Values.Single().EventsByOp.Values.Sum());
    }

    [Fact]
    public void Plan_RedeliveredOlderEventAfterNewer_KeepsNewer()
    {
        // A source restart re-sends from its last confirmed LSN: an older event can follow a newer one.
        var plan = Plan(
            Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid")),
            Change(ChangeOperation.Update, 1, (30, 31), ("status", "shipped")),
            Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid")));

        Assert.Equal("shipped", Single(plan).Values["status"]);
    }

    [Fact]
    public void Plan_LsnOrderDiffersFromCommitOrder_OrdersByCommitLsnFirst()
    {
        // T2 commits after T1 but wrote its row at a lower LSN: sequence [commit of T1, 15] > [commit of T0, 25].
        var plan = Plan(
            Change(ChangeOperation.Update, 1, (10, 25), ("status", "from-t1")),
            Change(ChangeOperation.Update, 1, (30, 15), ("status", "from-t2")));

        Assert.Equal("from-t2", Single(plan).Values["status"]);
    }

    [Fact]
    public void Plan_DeleteAfterCreate_IsDeleteWithKeyOnly()
    {
        var plan = Plan(
            Change(ChangeOperation.Create, 1, (10, 11), ("status", "new")),
            Change(ChangeOperation.Delete, 1, (20, 21)),
            Tombstone(1));

        var row = Single(plan);
        Assert.Equal(ChangeKind.Delete, row.Kind);
        Assert.Equal(["id"], row.Values.Keys);
        Assert.Equal(1, plan.Skipped);
    }

    [Fact]
    public void Plan_UnavailableToastValue_IsLeftOutSoStoredValueStays()
    {
        var plan = Plan(Change(ChangeOperation.Update, 1, (10, 11), ("status", "paid"), ("note", Unavailable.Value)));

        var row = Single(plan);
        Assert.False(row.Values.ContainsKey("note"));
        Assert.Equal("paid", row.Values["status"]);
    }

    [Fact]
    public void Plan_UnavailableToastValueAfterRealValueInBatch_CarriesRealValue()
    {
        var plan = Plan(
            Change(ChangeOperation.Update, 1, (10, 11), ("status", "paid"), ("note", "long text")),
            Change(ChangeOperation.Update, 1, (20, 21), ("status", "shipped"), ("note", Unavailable.Value)));

        var row = Single(plan);
        Assert.Equal("long text", row.Values["note"]);
        Assert.Equal("shipped", row.Values["status"]);
    }

    [Fact]
    public void Plan_IncrementalSnapshotReadWithoutLsn_AppliesWhereItArrives()
    {
        var plan = Plan(
            Change(ChangeOperation.Update, 1, (20, 21), ("status", "paid")),
            Change(ChangeOperation.Read, 1, null, ("status", "re-read")));

        var row = Single(plan);
        Assert.Equal("re-read", row.Values["status"]);
        Assert.Equal(new ChangeVersion(20, 21), row.Version);
    }

    [Fact]
    public void Plan_Truncate_KeepsNewestVersion()
    {
        var plan = Plan(Truncate((10, 11)), Truncate((30, 31)), Truncate((20, 21)));

        Assert.Equal(new ChangeVersion(30, 31), plan.Tables.Values.Single().Truncate);
    }

    [Fact]
    public void Plan_TruncateIgnored_IsSkipped()
    {
        var options = new SinkOptions { Defaults = { Truncate = TruncateMode.Ignore } };
        var plan = new BatchPlanner(new TableRouter(options)).Plan([Truncate((10, 11))], _ => Orders);

        Assert.Empty(plan.Tables);
        Assert.Equal(1, plan.Skipped);
    }

    [Fact]
    public void Plan_MissingTableWithSchema_AsksToCreateIt()
    {
        var plan = Plan((TableInfo?)null, Change(ChangeOperation.Create, 1, (10, 11), ("status", "new")));

        var change = Assert.Single(plan.SchemaChanges);
        Assert.True(change.CreateTable);
        Assert.Equal(["id"], change.KeyColumns);
        Assert.Equal(["id", "status"], change.Columns.Select(c => c.Column));
        Assert.Empty(plan.Tables);
    }

    [Fact]
    public void Plan_NewColumnInEvent_AsksToAddIt()
    {
        var plan = Plan(Change(ChangeOperation.Create, 1, (10, 11), ("status", "new"), ("channel", "web")));

        var change = Assert.Single(plan.SchemaChanges);
        Assert.False(change.CreateTable);
        Assert.Equal(["channel"], change.Columns.Select(c => c.Column));
    }

    [Fact]
    public void Plan_RenameAndExclude_MapColumns()
    {
        var options = new SinkOptions { Defaults = { Rename = { ["status"] = "state" }, Exclude = ["note"] } };
        var table = new TableInfo("public", "orders", [new("id", "bigint"), new("state", "text"), new(SinkColumns.CommitLsn, "bigint"), new(SinkColumns.EventLsn, "bigint")], ["id"]);
        var plan = new BatchPlanner(new TableRouter(options)).Plan(
            [Change(ChangeOperation.Create, 1, (10, 11), ("status", "new"), ("note", "secret"))], _ => table);

        var row = Single(plan);
        Assert.Equal("new", row.Values["state"]);
        Assert.Equal(["id", "state"], row.Values.Keys.Order());
    }

    [Fact]
    public void Plan_SchemalessTopicsRenamedDifferentlyIntoOneTable_EachReadWithItsOwnRenames()
    {
        var options = new SinkOptions
        {
            Tables =
            [
                new() { Topic = "a.public.orders", Table = "orders", Rename = { ["st"] = "status" } },
                new() { Topic = "b.public.orders", Table = "orders", Rename = { ["state"] = "status" } },
            ],
        };

        var plan = new BatchPlanner(new TableRouter(options)).Plan(
            [Schemaless("a.public.orders", 1, "st", "from-a"), Schemaless("b.public.orders", 2, "state", "from-b")],
            _ => Orders);

        Assert.Empty(plan.Failures);
        var rows = plan.Tables.Values.Single().Rows.Values.OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        Assert.Equal(["from-a", "from-b"], rows.Select(r => r.Values["status"]));
        Assert.Equal([1L, 2L], rows.Select(r => r.Values["id"]));
    }

    private static DecodedRecord Schemaless(string topic, long id, string column, string value)
    {
        using var json = System.Text.Json.JsonDocument.Parse($"{{\"id\":{id},\"{column}\":\"{value}\"}}");
        var row = new RowImage(json.RootElement.EnumerateObject().Select(p => new Column(p.Name, p.Value.Clone(), null)).ToList());
        var ev = new ChangeEvent
        {
            Operation = ChangeOperation.Create,
            After = row,
            Source = new SourceInfo { Table = "orders", ChangeVersion = new ChangeVersion(10, id) },
        };
        return Record(new ChangeRecord(new RowImage([row[0]]), ev), topic);
    }

    [Fact]
    public void Plan_KeyedEventsOnKeylessTable_FailTheRecordWithReason()
    {
        var keyless = Orders with { KeyColumns = [] };
        var plan = Plan(keyless, Change(ChangeOperation.Update, 1, (10, 11), ("status", "paid")));

        var failure = Assert.Single(plan.Failures);
        Assert.Equal(FailureStage.TaskPut, failure.Stage);
        Assert.Contains("no primary key", failure.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Progress_IsNextOffsetAndNewestVersionPerPartition()
    {
        var first = Change(ChangeOperation.Create, 1, (10, 11), ("status", "new"));
        var second = Change(ChangeOperation.Create, 2, (30, 31), ("status", "new"));
        var plan = Plan(first, second);

        var progress = Assert.Single(plan.Progress.Values);
        Assert.Equal(second.Record.Offset + 1, progress.NextOffset);
        Assert.Equal(new ChangeVersion(30, 31), progress.Version);
    }
}
