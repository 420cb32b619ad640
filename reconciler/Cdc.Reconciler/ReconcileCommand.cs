using Cdc.Common.Configuration;
using Cdc.Common.Metrics;
using Cdc.Reconciler.Audit;
using Cdc.Reconciler.Heal;
using Cdc.Reconciler.Reporting;
using Cdc.Store.Bookkeeping;

namespace Cdc.Reconciler;

/// <summary>The composition root behind <c>./cdc reconcile</c>.</summary>
public static class ReconcileCommand
{
    private const string Usage = """
        usage: cdc reconcile --primary CONN --store CONN [--tables schema.table,...] [--repair none|resnapshot|direct]
                             [--sink-config FILE] [--topic-prefix P] [--bootstrap-servers H:P --slot NAME]
                             [--signal-table schema.table] [--wait 00:01:00] [--grace 00:00:02]
                             [--json] [--every 00:10:00 [--metrics-port P]] [--config FILE]
               cdc reconcile status --store CONN [--sink-config FILE]

        Compares each primary table (a partitioned one leaf by leaf) with the store table the sink maps it to (the sink's
        own configuration file), after waiting until the store applied everything up to the primary's LSN at start.
        Exit codes: 0 no drift, 1 drift found (repaired when asked), 2 error, refused tables or skipped columns, 3 the
        pipeline lags (no consistency point within --wait).
        With --every it runs as a service on that schedule and serves /metrics.
        """;

    /// <returns>0 no drift, 1 drift found (repaired when asked), 2 error, 3 lagging.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping) =>
        RunAsync(args, Console.Out, Console.Error, !Console.IsErrorRedirected, stopping);

    /// <param name="output">Results (the JSON of <c>--json</c>, the summary line).</param>
    /// <param name="error">Errors and live progress (a progress bar when <paramref name="errorIsTerminal"/>).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool errorIsTerminal, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count > 0 && args[0] is "--help" or "-h" or "help")
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        try
        {
            if (args.Count > 0 && args[0] == "status")
            {
                return await StatusAsync(args.Skip(1).ToList(), output, stopping);
            }

            var options = ReconcileConfiguration.Load(args);
            return options.Every is null ? await RunOnceAsync(options, output, error, errorIsTerminal, stopping) : await RunScheduledAsync(options, output, error, stopping);
        }
        catch (ConfigurationError e)
        {
            await error.WriteLineAsync($"cdc reconcile: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 2;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            await error.WriteLineAsync($"cdc reconcile: {e.Message}");
            return 2;
        }
    }

    /// <summary><c>cdc reconcile status</c>: the current and recent runs from the store's audit table.</summary>
    public static async Task<int> StatusAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var configuration = HostConfiguration.Build(args, new Dictionary<string, string> { ["--store"] = "Store", ["--sink-config"] = "SinkConfig" });
        var options = HostConfiguration.Bind<ReconcileOptions>(configuration);
        if (string.IsNullOrWhiteSpace(options.Store))
        {
            throw new ConfigurationError("no store: pass --store 'Host=...;Database=...'");
        }

        await using var store = ReconcileJob.OpenDataSource(options.Store);
        var history = new RunHistory(store, new MetadataTables(ReconcileConfiguration.LoadSink(options).MetadataSchema));
        if (!await history.ExistsAsync(cancellationToken))
        {
            await output.WriteLineAsync("no reconcile runs recorded in this store");
            return 0;
        }

        foreach (var run in await history.RecentAsync(10, cancellationToken))
        {
            await output.WriteLineAsync(StatusLine.Of(run));
        }

        return 0;
    }

    private static async Task<int> RunOnceAsync(ReconcileOptions options, TextWriter output, TextWriter error, bool errorIsTerminal, CancellationToken stopping)
    {
        var job = new ReconcileJob(options, options.Json ? error : output, progressOutput: error, progressIsTerminal: errorIsTerminal);
        var result = await job.RunAsync(stopping);
        if (options.Json)
        {
            await output.WriteLineAsync(ResultJson.Write(result));
        }
        else
        {
            await output.WriteLineAsync($"reconcile run {result.RunId}: {Names.Of(result.State)}, {result.RowsCompared:N0} rows compared, {result.Drift} rows of drift, {result.RowsTransferred:N0} rows transferred in {result.Duration.TotalSeconds:0.0} s");
        }

        return result.ExitCode;
    }

    private static async Task<int> RunScheduledAsync(ReconcileOptions options, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        using var metrics = new ReconcilerMetrics();
        using var exposition = new PrometheusExposition(m => ReferenceEquals(m, metrics.Meter) || m.Name == "Npgsql");
        await using var server = new MetricsServer(new MetricsServerOptions { Port = options.MetricsPort }, () => true, exposition);
        await server.StartAsync(stopping);
        if (server.BaseAddress is { } address)
        {
            await output.WriteLineAsync($"cdc reconcile: every {options.Every}, metrics on {address}metrics");
        }

        var time = TimeProvider.System;
        // Between scheduled runs, heals of gaps the sink found are finished as they come (docs/design.md#no-silent-loss).
        using var stopHeals = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var heals = new HealWorker(options, output, time).RunAsync(stopHeals.Token);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var job = new ReconcileJob(options, output, time, metrics, error, progressIsTerminal: false);
                var result = await job.RunAsync(stopping);
                await output.WriteLineAsync($"reconcile run {result.RunId}: {Names.Of(result.State)}, {result.Drift} rows of drift, exit code {result.ExitCode}");
                await Task.Delay(options.Every!.Value, time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // SIGTERM between or during runs: the audit row of an interrupted run says failed (cancelled).
        }
        finally
        {
            await stopHeals.CancelAsync();
            await heals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return 0;
    }
}
