using Cdc.Reconciler.Audit;
using Cdc.Reconciler.Compare;
using Cdc.Reconciler.Consistency;
using Cdc.Reconciler.Repair;
using Cdc.Reconciler.Reporting;
using Cdc.Reconciler.Schema;
using Cdc.Sink.Configuration;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;
using Npgsql;

namespace Cdc.Reconciler;

/// <summary>
/// One reconcile run: wait for the consistency point, compare each table by key ranges, recheck what differs after a
/// grace period, repair what persists (when asked) and verify, keeping the run's state, progress and findings in
/// the store's audit tables. The public entry point the CLI and the demo use.
/// </summary>
public sealed class ReconcileJob
{
    /// <summary>Finding state of a row re-streamed by a signal and verified equal afterwards.</summary>
    public const string Resnapshotted = "re-streamed (verified)";

    private readonly ReconcileOptions _options;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly ReconcilerMetrics? _metrics;
    private readonly ProgressDisplay? _display;

    /// <param name="log">Findings, refusals and the summary, line by line.</param>
    /// <param name="progressOutput">Where live progress goes (a terminal gets a progress bar); null = no progress display.</param>
    public ReconcileJob(ReconcileOptions options, TextWriter log, TimeProvider? time = null, ReconcilerMetrics? metrics = null, TextWriter? progressOutput = null, bool progressIsTerminal = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ReconcileConfiguration.Validate(options);
        _options = options;
        _log = log;
        _time = time ?? TimeProvider.System;
        _metrics = metrics;
        _display = progressOutput is null ? null : new ProgressDisplay(progressOutput, progressIsTerminal, _time);
    }

    /// <summary>Runs once with defaults: <c>new ReconcileJob(options, log).RunAsync(ct)</c>.</summary>
    public static Task<ReconcileResult> RunAsync(ReconcileOptions options, TextWriter log, CancellationToken cancellationToken = default) =>
        new ReconcileJob(options, log).RunAsync(cancellationToken);

    public async Task<ReconcileResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var sink = ReconcileConfiguration.LoadSink(_options);
        var metadata = new MetadataTables(sink.MetadataSchema);
        await using var primary = OpenDataSource(_options.Primary!);
        await using var store = OpenDataSource(_options.Store!);
        var history = new RunHistory(store, metadata);
        await history.EnsureAsync(cancellationToken);
        var tables = await TablesAsync(primary, cancellationToken);
        var result = new ReconcileResult { RunId = await history.StartAsync(Names.Of(_options.Repair), [.. tables.Select(t => t.ToString())], cancellationToken, _options.Reason) };
        var progress = new RunProgress();
        _metrics?.Started(progress);
        using var stopReporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporting = ReportAsync(history, result, progress, stopReporting.Token);
        try
        {
            await CheckEncodingsAsync(primary, store, cancellationToken);
            var waiter = new ConsistencyWaiter(primary, store, sink, _options, _time);
            await RunTablesAsync(primary, store, sink, metadata, waiter, tables, result, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result.Error = e.Message;
            result.State = RunState.Failed;
            await _log.WriteLineAsync($"reconcile failed: {e.Message}");
        }
        finally
        {
            await stopReporting.CancelAsync();
            await reporting;
            _display?.Done();
            result.Duration = _time.GetElapsedTime(started);
            result.RowsCompared = progress.RowsCompared;
            result.RowsTransferred = progress.RowsTransferred;
            if (result.State is RunState.Pending or RunState.Running)
            {
                result.State = RunState.Failed;
                result.Error ??= "cancelled";
            }

            await history.FinishAsync(result, progress, CancellationToken.None);
            _metrics?.Finished(result, _time.GetUtcNow(), Names.Of(_options.Repair));
        }

        return result;
    }

    /// <summary>
    /// The tables to check, as the connector publishes them: the given ones (default: every table of the primary's
    /// <c>public</c> schema but the signal table), a partitioned table replaced by its leaf partitions, whose names
    /// the topics and the store tables carry.
    /// </summary>
    private async Task<List<TableName>> TablesAsync(NpgsqlDataSource primary, CancellationToken cancellationToken)
    {
        if (_options.Tables.Count == 0)
        {
            var signal = TableName.Parse(_options.SignalTable);
            return [.. (await StoreCatalog.TablesAsync(primary, "public", cancellationToken)).Select(t => new TableName(t.Schema, t.Table)).Where(t => t != signal)];
        }

        var tables = new List<TableName>();
        foreach (var name in _options.Tables.Select(TableName.Parse))
        {
            var leaves = await StoreCatalog.LeavesAsync(primary, name.Schema, name.Table, cancellationToken);
            tables.AddRange(leaves.Count == 0 ? [name] : leaves.Select(l => new TableName(l.Schema, l.Table)));
        }

        return [.. tables.Distinct()];
    }

    /// <summary>Texts are hashed and compared as bytes: two server encodings would make every non-ASCII value differ.</summary>
    private static async Task CheckEncodingsAsync(NpgsqlDataSource primary, NpgsqlDataSource store, CancellationToken cancellationToken)
    {
        const string sql = "SELECT current_setting('server_encoding')";
        await using var p = primary.CreateCommand(sql);
        await using var s = store.CreateCommand(sql);
        var (a, b) = ((string)(await p.ExecuteScalarAsync(cancellationToken))!, (string)(await s.ExecuteScalarAsync(cancellationToken))!);
        if (a != b)
        {
            throw new InvalidOperationException($"the primary's encoding is {a} and the store's {b}: rows cannot be compared byte for byte (give the store the primary's encoding)");
        }
    }

    private async Task RunTablesAsync(
        NpgsqlDataSource primary,
        NpgsqlDataSource store,
        SinkOptions sink,
        MetadataTables metadata,
        ConsistencyWaiter waiter,
        List<TableName> tables,
        ReconcileResult result,
        RunProgress progress,
        CancellationToken cancellationToken)
    {
        result.Consistency = await waiter.WaitAsync(cancellationToken);
        if (!result.Consistency.Reached)
        {
            result.Lagging = true;
            result.State = RunState.Failed;
            await _log.WriteLineAsync($"reconcile: no drift check, the pipeline is {result.Consistency.Detail}");
            return;
        }

        result.State = RunState.Running;
        var resolver = new TablePairResolver(primary, store, new TableRouter(sink), _options.TopicPrefix);
        var throttle = new LagThrottle(waiter, _options.MaxLagBytes, _log, _time);
        var compared = new List<(TablePair Pair, TableResult Table, TableComparer Comparer, List<Finding> First)>();
        foreach (var name in tables)
        {
            var table = new TableResult(name.ToString());
            result.Tables.Add(table);
            progress.Table = table.Table;
            await GuardAsync(table, async () =>
            {
                var (pair, refusal) = await resolver.ResolveAsync(name, cancellationToken);
                if (pair is null)
                {
                    table.Refusal = refusal;
                    await _log.WriteLineAsync($"{name}: refused: {refusal}");
                    return;
                }

                table.StoreTable = $"{pair.Store.Schema}.{pair.Store.Table}";
                table.Skipped.AddRange(pair.Skipped);
                foreach (var skipped in pair.Skipped)
                {
                    await _log.WriteLineAsync($"{name}: not compared: {skipped}");
                }

                var (comparer, first) = await CompareTableAsync(primary, store, pair, table, progress, throttle.WaitAsync, cancellationToken);
                compared.Add((pair, table, comparer, first));
            });
            progress.FinishTable();
        }

        // Drift is what persists (docs/design.md#invariant-10-drift-is-what-persists): a difference the stream was still carrying is gone after the grace
        // period, or shows as a row the stream changed meanwhile. One grace period serves every table of the run.
        if (compared.Any(c => c.First.Count > 0))
        {
            await Task.Delay(_options.Grace, _time, cancellationToken);
        }

        var repair = new DirectRepair(primary, store, metadata);
        foreach (var (pair, table, comparer, first) in compared)
        {
            await GuardAsync(table, async () =>
            {
                var (persisting, stillChanging) = first.Count == 0 ? ([], 0) : await SettledRecheck.RunAsync(pair, comparer, waiter, first, cancellationToken);
                table.StillChanging = stillChanging;
                table.Transient = Math.Max(0, first.Count - persisting.Count - stillChanging);
                table.Findings.AddRange(persisting);
                await ReportTableAsync(pair, table);
                if (_options.Repair != RepairMode.None && table.Findings.Count > 0)
                {
                    await RepairAsync(primary, repair, pair, table, comparer, cancellationToken);
                }
            });
        }

        var refused = result.Tables.Count(t => t.Refusal is not null);
        var incomplete = result.Tables.Count(t => t.Refusal is not null || t.Skipped.Count > 0);
        result.State = incomplete == 0 ? RunState.Completed : refused == result.Tables.Count ? RunState.Failed : RunState.PartialFailure;
    }

    /// <summary>A table that fails on its own (a query error, a value the server refuses) is reported; the others go on.</summary>
    private async Task GuardAsync(TableResult table, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            table.Refusal = $"failed: {e.Message}";
            await _log.WriteLineAsync($"{table.Table}: {table.Refusal}");
        }
    }

    private async Task<(TableComparer Comparer, List<Finding> First)> CompareTableAsync(
        NpgsqlDataSource primary,
        NpgsqlDataSource store,
        TablePair pair,
        TableResult table,
        RunProgress progress,
        Func<CancellationToken, Task> throttle,
        CancellationToken cancellationToken)
    {
        var estimate = await EstimateRowsAsync(primary, pair.QuotedTable(primary: true), cancellationToken);
        progress.AddExpected(estimate);
        var before = progress.RowsCompared;
        var comparer = new TableComparer(pair, new SideReader(primary, pair, primary: true), new SideReader(store, pair, primary: false), _options, progress, throttle, estimate);
        var clock = _time.GetTimestamp();
        var first = await comparer.CompareAsync(cancellationToken);
        table.CompareDuration = _time.GetElapsedTime(clock);
        table.RowsCompared = progress.RowsCompared - before;
        return (comparer, first);
    }

    private async Task ReportTableAsync(TablePair pair, TableResult table)
    {
        await _log.WriteLineAsync($"{pair.Name} -> {table.StoreTable}: {table.RowsCompared:N0} rows, {table.Missing} missing, {table.Extra} extra, {table.Divergent} divergent" +
            (table.Transient > 0 ? $" ({table.Transient} transient differences gone at the recheck)" : "") +
            (table.StillChanging > 0 ? $" ({table.StillChanging} rows still changed by the stream at each of {SettledRecheck.Attempts} rechecks: left to it, not judged)" : ""));
        foreach (var finding in table.Findings.Take(20))
        {
            await _log.WriteLineAsync($"  {finding.Display}");
        }
    }

    private async Task RepairAsync(NpgsqlDataSource primary, DirectRepair direct, TablePair pair, TableResult table, TableComparer comparer, CancellationToken cancellationToken)
    {
        var extras = table.Findings.Where(f => f.Kind == DriftKind.Extra).ToList();
        var restream = table.Findings.Where(f => f.Kind != DriftKind.Extra).ToList();
        if (_options.Repair == RepairMode.Direct || !pair.StoreHasVersion)
        {
            await direct.ApplyAsync(pair, table.Findings, cancellationToken);
            var remaining = await comparer.RecheckAsync(table.Findings, cancellationToken);
            MarkUnverified(table, remaining);
        }
        else
        {
            // A resnapshot cannot remove a row the primary no longer has: extras get the guarded direct delete.
            if (extras.Count > 0)
            {
                await direct.ApplyAsync(pair, extras, cancellationToken);
            }

            if (restream.Count > 0)
            {
                table.Signals.AddRange(await new ResnapshotRepair(primary, TableName.Parse(_options.SignalTable)).SignalAsync(pair, restream, cancellationToken));
                restream.ForEach(f => f.Repair = "signalled");
            }

            var remaining = await VerifyRestreamAsync(comparer, table.Findings, cancellationToken);
            foreach (var finding in restream.Where(f => !remaining.Any(r => r.Key == f.Key)))
            {
                finding.Repair = Resnapshotted;
            }

            MarkUnverified(table, remaining);
        }

        await _log.WriteLineAsync($"{pair.Name}: repair {Names.Of(_options.Repair)}: {table.Repaired} repaired, {table.Unrepaired} still differ" +
            (table.Signals.Count > 0 ? $", {table.Signals.Count} signal(s) written to {_options.SignalTable}" : ""));
    }

    private static void MarkUnverified(TableResult table, List<Finding> remaining)
    {
        table.Unrepaired = remaining.Count;
        foreach (var finding in table.Findings.Where(f => f.Repair == DirectRepair.Repaired && remaining.Any(r => r.Key == f.Key)))
        {
            finding.Repair = "written, but still differs at verification";
        }
    }

    /// <summary>
    /// Re-streamed rows arrive through the pipeline: wait for them up to <see cref="ReconcileOptions.VerifyTimeout"/>.
    /// A row seen equal to the primary once is verified: from then on the live stream carries every change of it
    /// (docs/design.md#invariant-10-drift-is-what-persists), so it is not read again. Under continuous writes a check
    /// of all rows at one instant would nearly always catch some of them with a newer change still in flight, and a
    /// heal could then never be verified.
    /// </summary>
    private async Task<List<Finding>> VerifyRestreamAsync(TableComparer comparer, List<Finding> findings, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.VerifyTimeout;
        var remaining = findings;
        while (true)
        {
            var differing = (await comparer.RecheckAsync(remaining, cancellationToken)).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            remaining = [.. remaining.Where(f => differing.Contains(f.Key))];
            if (remaining.Count == 0 || _time.GetUtcNow() >= deadline)
            {
                return remaining;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
        }
    }

    private async Task ReportAsync(RunHistory history, ReconcileResult result, RunProgress progress, CancellationToken stop)
    {
        var interval = _display?.Interval ?? TimeSpan.FromSeconds(2);
        var lastSaved = _time.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, stop);
                _display?.Show(progress);
                if (_time.GetElapsedTime(lastSaved) >= TimeSpan.FromSeconds(2))
                {
                    lastSaved = _time.GetTimestamp();
                    var point = result.Consistency;
                    await history.UpdateAsync(result.RunId, result.State, progress, point is null ? null : ConsistencyPoint.FormatLsn(point.Lsn), point?.Detail, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private static async Task<long> EstimateRowsAsync(NpgsqlDataSource primary, string quotedTable, CancellationToken cancellationToken)
    {
        await using var command = primary.CreateCommand("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = $1::regclass");
        command.Parameters.Add(new NpgsqlParameter { Value = quotedTable });
        return await command.ExecuteScalarAsync(cancellationToken) is long rows ? rows : 0;
    }

    /// <summary>A data source whose sessions render values the way <see cref="CanonicalText"/> expects.</summary>
    internal static NpgsqlDataSource OpenDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} {CanonicalText.SessionOptions}".Trim();
        builder.ConnectionStringBuilder.ApplicationName ??= "cdc-reconcile";
        return builder.Build();
    }
}
