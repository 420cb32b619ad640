using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Metrics;
using Cdc.Common.Postgres;
using Cdc.Reconciler.Audit;
using Cdc.Reconciler.Heal;
using Cdc.Reconciler.Reporting;
using Cdc.Store.Bookkeeping;

namespace Cdc.Reconciler;

/// <summary>The composition root behind <c>./cdc reconcile</c>.</summary>
public static class ReconcileCommand
{
    private const string ExitCodes = """
        0 no drift; 1 drift found (repaired when asked); 2 an error: bad configuration, authentication failed, a missing
        database or table, an unreachable server, a port in use, refused tables or skipped columns, or an unexpected
        failure (one line here, the stack trace in the log); 3 the pipeline lags (no consistency point within --wait).
        """;

    /// <summary><c>cdc reconcile</c>: one run, or runs on a schedule (<c>--every</c>) as a service.</summary>
    public static CommandDefinition<ReconcileOptions> Command { get; } = new()
    {
        Name = "cdc reconcile",
        Summary = """
            Compares each primary table (a partitioned one leaf by leaf) with the store table the sink maps it to (the
            sink's own configuration file), after waiting until the store applied everything up to the primary's LSN at
            start, and repairs what differs when asked. With --every it runs as a service on that schedule and serves /metrics.
            """,
        Flags = ReconcileConfiguration.Flags,
        Notes = "cdc reconcile status --store CONN [--sink-config FILE]: the current and recent runs (cdc reconcile status --help).",
        ExitCodes = ExitCodes,
        Bind = ReconcileConfiguration.Bind,
        Validate = ReconcileConfiguration.Validate,
        Dependencies = options => [new PostgresDependency("the primary", options.Primary!), new PostgresDependency("the store", options.Store!)],
        Run = async (context, stopping) =>
        {
            await CheckTablesExistAsync(context.Options, stopping);
            return context.Options.Every is null ? await RunOnceAsync(context, stopping) : await RunScheduledAsync(context, stopping);
        },
        LogCategory = "cdc.reconcile",
        FailureExitCode = 2,
        StoppedExitCode = 2,
    };

    /// <summary><c>cdc reconcile status</c>: the runs recorded in a store's audit table.</summary>
    public static CommandDefinition<ReconcileOptions> StatusCommand { get; } = new()
    {
        Name = "cdc reconcile status",
        Summary = "The current and recent reconcile runs recorded in the store's audit table, newest first.",
        Flags = ReconcileConfiguration.StatusFlags,
        ExitCodes = "0 listed (or none recorded); 2 an error: bad configuration, authentication failed, a missing database, an unreachable store.",
        Bind = ReconcileConfiguration.Bind,
        Validate = ReconcileConfiguration.ValidateStatus,
        Dependencies = options => [new PostgresDependency("the store", options.Store!)],
        Run = (context, stopping) => StatusAsync(context.Options, context.Console.Out, stopping),
        LogCategory = "cdc.reconcile",
        FailureExitCode = 2,
        StoppedExitCode = 2,
    };

    /// <returns>0 no drift, 1 drift found (repaired when asked), 2 error, 3 lagging.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping) =>
        RunAsync(args, Console.Out, Console.Error, !Console.IsErrorRedirected, stopping);

    /// <param name="output">Results (the JSON of <c>--json</c>, the summary line).</param>
    /// <param name="error">Errors and live progress (a progress bar when <paramref name="errorIsTerminal"/>).</param>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool errorIsTerminal, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(args);
        var console = new CommandConsole(output, error, errorIsTerminal);
        return args switch
        {
            ["help"] => CommandHost.RunAsync(Command, ["--help"], console, stopping),
            [_, ..] when args[0] == "status" => CommandHost.RunAsync(StatusCommand, [.. args.Skip(1)], console, stopping),
            _ => CommandHost.RunAsync(Command, args, console, stopping),
        };
    }

    /// <summary><c>cdc reconcile status</c>: the current and recent runs from the store's audit table.</summary>
    public static Task<int> StatusAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken) =>
        CommandHost.RunAsync(StatusCommand, args, new CommandConsole(output, Console.Error, ErrorIsTerminal: false), cancellationToken);

    private static async Task<int> StatusAsync(ReconcileOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        await using var store = ReconcileJob.OpenDataSource(options.Store!);
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

    /// <summary>
    /// A table named on the command line that the primary does not have is a typo to fix, not drift: the command ends
    /// with one line before any run starts. (A run reports the tables it refuses for other reasons in its result.)
    /// </summary>
    /// <exception cref="ConfigurationError">Naming every missing table.</exception>
    private static async Task CheckTablesExistAsync(ReconcileOptions options, CancellationToken cancellationToken)
    {
        await using var primary = ReconcileJob.OpenDataSource(options.Primary!);
        var missing = await PgTables.MissingAsync(primary, [.. options.Tables.Select(TableName.Parse).Select(t => (t.Schema, t.Table))], cancellationToken);
        if (missing.Count > 0)
        {
            throw new ConfigurationError($"--tables: {PgTables.DoesOrDo(missing)} not exist on the primary ({PgEndpoint.Describe(options.Primary!)})");
        }
    }

    private static async Task<int> RunOnceAsync(CommandContext<ReconcileOptions> context, CancellationToken stopping)
    {
        var (options, output, error, errorIsTerminal) = (context.Options, context.Console.Out, context.Console.Error, context.Console.ErrorIsTerminal);
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

    private static async Task<int> RunScheduledAsync(CommandContext<ReconcileOptions> context, CancellationToken stopping)
    {
        var (options, output, error) = (context.Options, context.Console.Out, context.Console.Error);
        using var metrics = new ReconcilerMetrics();
        using var exposition = new PrometheusExposition(m => ReferenceEquals(m, metrics.Meter) || m.Name is "Npgsql" or "Polly");
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
