using Cdc.Reconciler.Audit;
using Cdc.Reconciler.Compare;
using Cdc.Reconciler.Consistency;
using Cdc.Reconciler.Repair;
using Cdc.Reconciler.Reporting;
using Cdc.Reconciler.Schema;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
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
        await using var primary = OpenDataSource(_options.Primary!);
        await using var store = OpenDataSource(_options.Store!);
        var history = new RunHistory(store, sink.MetadataSchema);
        await history.EnsureAsync(cancellationToken);
        var tables = _options.Tables.Count > 0
            ? _options.Tables.Select(TableName.Parse).ToList()
            : (await CatalogReader.ListAsync(primary, "public", cancellationToken)).Where(t => t != TableName.Parse(_options.SignalTable)).ToList();
        var result = new ReconcileResult { RunId = await history.StartAsync(Names.Of(_options.Repair), [.. tables.Select(t => t.ToString())], cancellationToken) };
        var progress = new RunProgress();
        _metrics?.Started(progress);
        using var stopReporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporting = ReportAsync(history, result, progress, stopReporting.Token);
        try
        {
            var waiter = new ConsistencyWaiter(primary, store, sink, _options, _time);
            await RunTablesAsync(primary, store, sink, waiter, tables, result, progress, cancellationToken);
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

    private async Task RunTablesAsync(
        NpgsqlDataSource primary,
        NpgsqlDataSource store,
        SinkOptions sink,
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
        foreach (var name in tables)
        {
            var table = new TableResult(name.ToString());
            result.Tables.Add(table);
            progress.Table = table.Table;
            try
            {
                var (pair, refusal) = await resolver.ResolveAsync(name, cancellationToken);
                if (pair is null)
                {
                    table.Refusal = refusal;
                    await _log.WriteLineAsync($"{name}: refused: {refusal}");
                    continue;
                }

                table.StoreTable = pair.Store.Name.ToString();
                await CompareTableAsync(primary, store, waiter, pair, table, progress, throttle.WaitAsync, cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
            {
                table.Refusal = $"failed: {e.Message}";
                await _log.WriteLineAsync($"{name}: {table.Refusal}");
            }
            finally
            {
                progress.FinishTable();
            }
        }

        var refused = result.Tables.Count(t => t.Refusal is not null);
        result.State = refused == 0 ? RunState.Completed : refused == result.Tables.Count ? RunState.Failed : RunState.PartialFailure;
    }

    private async Task CompareTableAsync(
        NpgsqlDataSource primary,
        NpgsqlDataSource store,
        ConsistencyWaiter waiter,
        TablePair pair,
        TableResult table,
        RunProgress progress,
        Func<CancellationToken, Task> throttle,
        CancellationToken cancellationToken)
    {
        var estimate = await EstimateRowsAsync(primary, pair.Primary.Name, cancellationToken);
        progress.AddExpected(estimate);
        var before = progress.RowsCompared;
        var comparer = new TableComparer(pair, new SideReader(primary, pair, primary: true), new SideReader(store, pair, primary: false), _options, progress, throttle, estimate);
        var clock = _time.GetTimestamp();
        var first = await comparer.CompareAsync(cancellationToken);
        table.CompareDuration = _time.GetElapsedTime(clock);
        table.RowsCompared = progress.RowsCompared - before;
        if (first.Count > 0)
        {
            // Drift is what persists (docs/design.md#invariant-10-drift-is-what-persists): a difference the stream was
            // still carrying is gone after the grace period.
            await Task.Delay(_options.Grace, _time, cancellationToken);
            await waiter.WaitAsync(cancellationToken);
            var persisting = await comparer.RecheckAsync(first, cancellationToken);
            table.Transient = Math.Max(0, first.Count - persisting.Count);
            table.Findings.AddRange(persisting);
        }

        await _log.WriteLineAsync($"{pair.Name} -> {pair.Store.Name}: {table.RowsCompared:N0} rows, {table.Missing} missing, {table.Extra} extra, {table.Divergent} divergent" +
            (table.Transient > 0 ? $" ({table.Transient} transient differences gone at the recheck)" : ""));
        foreach (var finding in table.Findings.Take(20))
        {
            await _log.WriteLineAsync($"  {Names.Of(finding.Kind)} {finding.KeyDisplay}{(finding.Columns.Count > 0 ? " columns " + string.Join(",", finding.Columns) : "")}");
        }

        if (_options.Repair != RepairMode.None && table.Findings.Count > 0)
        {
            await RepairAsync(primary, store, pair, table, comparer, cancellationToken);
        }
    }

    private async Task RepairAsync(NpgsqlDataSource primary, NpgsqlDataSource store, TablePair pair, TableResult table, TableComparer comparer, CancellationToken cancellationToken)
    {
        var direct = new DirectRepair(primary, store);
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

    /// <summary>Re-streamed rows arrive through the pipeline: wait for them up to <see cref="ReconcileOptions.VerifyTimeout"/>.</summary>
    private async Task<List<Finding>> VerifyRestreamAsync(TableComparer comparer, List<Finding> findings, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.VerifyTimeout;
        while (true)
        {
            var remaining = await comparer.RecheckAsync(findings, cancellationToken);
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

    private static async Task<long> EstimateRowsAsync(NpgsqlDataSource primary, TableName table, CancellationToken cancellationToken)
    {
        await using var command = primary.CreateCommand("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = $1::regclass");
        command.Parameters.Add(new NpgsqlParameter { Value = table.Quoted });
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
