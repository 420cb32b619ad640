using Cdc.Reconciler.Compare;
using Cdc.Reconciler.Schema;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Store.Mapping;
using Npgsql;

namespace Cdc.Reconciler.Tests.Support;

/// <summary>
/// The sink's real apply path (planner, guarded upserts, offsets in one transaction) fed with change events for an
/// <c>orders(id bigint, note text)</c> table: the store table is created by the sink itself, and "the stream" applies
/// changes with exactly the guard a running worker uses.
/// </summary>
internal sealed class SinkStream : IAsyncDisposable
{
    private static readonly ConnectSchema Int64 = new() { Type = ConnectType.Int64, Optional = false };
    private static readonly ConnectSchema Text = new() { Type = ConnectType.String };
    private static long _offset;

    private readonly ReconcileBed _bed;
    private readonly SinkPath _sink;

    private SinkStream(ReconcileBed bed)
    {
        _bed = bed;
        _sink = new SinkPath(bed.Store, new SinkOptions());
        PrimarySource = ReconcileJob.OpenDataSource(bed.PrimaryConnection);
        StoreSource = ReconcileJob.OpenDataSource(bed.StoreConnection);
    }

    public NpgsqlDataSource PrimarySource { get; }

    public NpgsqlDataSource StoreSource { get; }

    public static async Task<SinkStream> CreateAsync(ReconcileBed bed)
    {
        await bed.OnPrimaryAsync("CREATE TABLE public.orders (id bigint PRIMARY KEY, note text)");
        return new SinkStream(bed);
    }

    /// <summary>Applies an update event; its <c>source.sequence</c> is (version*10, version*10+1).</summary>
    public async Task ApplyAsync(long id, string note, long version)
    {
        var ev = new ChangeEvent
        {
            Operation = ChangeOperation.Update,
            After = new RowImage([new Column("id", id, Int64), new Column("note", note, Text)]),
            Source = new SourceInfo { Schema = "public", Table = "orders", TsMs = 1_700_000_000_000, ChangeVersion = new ChangeVersion(version * 10, (version * 10) + 1), Snapshot = "false" },
        };
        await _sink.ApplyAsync([new DecodedRecord(
            new SinkRecord("cdc.public.orders", 0, Interlocked.Increment(ref _offset), null, null, null),
            new ChangeRecord(new RowImage([new Column("id", id, Int64)]), ev),
            null)]);
    }

    /// <summary>The stream applied row 1 as 'old' (version 10); the primary holds <paramref name="primaryRows"/>: compared.</summary>
    public async Task<(TablePair Pair, List<Finding> Findings)> StaleRowAsync(string primaryRows)
    {
        await ApplyAsync(1, "old", version: 10);
        await _bed.OnPrimaryAsync($"INSERT INTO orders VALUES {primaryRows}");
        return await FindAsync();
    }

    /// <summary>Compares the whole orders table as a run would and returns the differing rows.</summary>
    public async Task<(TablePair Pair, List<Finding> Findings)> FindAsync()
    {
        var resolver = new TablePairResolver(PrimarySource, StoreSource, new TableRouter(new SinkOptions()), "cdc");
        var (pair, refusal) = await resolver.ResolveAsync(new TableName("public", "orders"), CancellationToken.None);
        Assert.True(pair is not null, refusal);
        var comparer = new TableComparer(pair, new SideReader(PrimarySource, pair, primary: true), new SideReader(StoreSource, pair, primary: false),
            new ReconcileOptions(), new Reporting.RunProgress(), _ => Task.CompletedTask, 0);
        return (pair, await comparer.CompareAsync(CancellationToken.None));
    }

    public Task<List<string>> StoreRowsAsync() =>
        ReconcileBed.RowsAsync(_bed.Store, "SELECT id, note, _cdc_commit_lsn, _cdc_event_lsn FROM orders ORDER BY id");

    public async ValueTask DisposeAsync()
    {
        await PrimarySource.DisposeAsync();
        await StoreSource.DisposeAsync();
    }
}
