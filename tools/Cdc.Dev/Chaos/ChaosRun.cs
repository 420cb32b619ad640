using System.Diagnostics;
using System.Globalization;
using Cdc.Benchmarks.Support;
using Cdc.Dev.Demo;
using Cdc.Reconciler;

namespace Cdc.Dev.Chaos;

/// <summary><c>cdc chaos</c>: the pipeline under a steady writer load and a schedule of faults, then every table of
/// every store compared with the primary row for row.</summary>
internal static class ChaosRun
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(ChaosOptions options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        Console.WriteLine($"cdc chaos: {options.Rounds} round(s) of faults, {options.Rate} writer transactions/s, {Environment.ProcessorCount} cores");
        await using var pipeline = await ChaosPipeline.StartAsync(options, ct);
        var writer = pipeline.Writer;
        Console.WriteLine($"  source connector and sinks (risk, analytics) run as their own processes; their logs: {pipeline.LogDirectory}");
        await pipeline.CatchUpAsync(DrainLimit, ct);
        Console.WriteLine("  initial snapshot applied in both stores; writers start");

        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writing = writer.RunSteadyAsync(options.Rate, TimeSpan.FromDays(1), stopWriting.Token);
        var faults = new Faults(pipeline, writer);
        var recoveries = new List<FaultRecord>();
        var recovered = Stopwatch.GetTimestamp();
        try
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var (kind, inject) in (options.OnePerKind ? faults.Schedule.DistinctBy(f => f.Kind) : faults.Schedule).Where(f => options.Runs(f.Kind)))
                {
                    // The gap of plain load counts from the previous fault's recovery; the next fault also waits until
                    // every store caught up after it (RecoveryProbe), so no recovery is measured inside another's catch-up.
                    var gap = TimeSpan.FromSeconds(options.GapSeconds) - Stopwatch.GetElapsedTime(recovered);
                    if (gap > TimeSpan.Zero)
                    {
                        await Task.Delay(gap, ct);
                    }

                    pipeline.ThrowIfExited();
                    var from = TimeProvider.System.GetUtcNow();
                    var outcome = await inject(ct);
                    var until = TimeProvider.System.GetUtcNow();
                    // From the fault's end (a healing fault's heal is timed on its own, from the fault's end too).
                    var ended = Stopwatch.GetTimestamp();
                    var (seconds, caughtUp) = await RecoveryProbe.SecondsAsync(pipeline, ended, outcome.RecoveredWhen, ct);
                    recovered = ended + (long)(seconds * Stopwatch.Frequency);
                    recoveries.Add(new FaultRecord(kind, outcome, seconds, caughtUp));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  fault {recoveries.Count,2} [{from:HH:mm:ss.fff}-{until:HH:mm:ss.fff} UTC]: {kind}: {outcome.What}; recovered in {seconds:0.0} s, caught up in {caughtUp:0.0} s")
                        + (outcome.HealSeconds is { } heal ? string.Create(CultureInfo.InvariantCulture, $"; detected: {outcome.Detected}; healed in {heal:0.0} s, rows lost {outcome.RowsLost}") : ""));
                }
            }
        }
        finally
        {
            await stopWriting.CancelAsync();
            try
            {
                await writing;
            }
            catch (OperationCanceledException)
            {
            }
        }

        Console.WriteLine($"  load stopped: {writer.Transactions:#,0} writer transactions ({writer.Interruptions:#,0} interrupted by the restart); draining");
        await pipeline.CatchUpAsync(DrainLimit, ct);
        var heals = await OpenHeals.WaitClosedAsync(pipeline, ct);
        Console.WriteLine(heals);
        await pipeline.CatchUpAsync(DrainLimit, ct);
        var rows = new List<StoreOutcome>();
        foreach (var (mapping, store, sink, _) in pipeline.Sinks)
        {
            var check = await StoreCheck.RunAsync(pipeline.Primary.ConnectionString, store.ConnectionString, sink, pipeline.Slot, RepairMode.None, TextWriter.Null, ct, pipeline.ExtraTables);
            rows.Add(new StoreOutcome(
                mapping.Name,
                await pipeline.Progress.AppliedAsync(store.DataSource, mapping.Name, ct),
                check,
                await VerdictCheck.RunAsync(pipeline.Primary.ConnectionString, store.ConnectionString, mapping, ct, pipeline.ExtraTables),
                DeadLetterCount.Of(pipeline.Cluster.BootstrapServers, sink.DeadLetterTopic)));
        }

        var report = new ChaosReport(recoveries, rows, writer.Transactions, faults.Poison);
        var text = new System.Text.StringBuilder();
        text.AppendLine();
        text.AppendLine(heals);
        text.AppendLine(report.FaultTable());
        text.AppendLine(report.HealTable());
        text.AppendLine(report.StoreTable());
        foreach (var line in report.Disagreements)
        {
            text.AppendLine(line);
        }

        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"time: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s"));
        text.AppendLine(report.Result());
        Console.Write(text);
        // Beside the components' logs, which stay: the report of a run started by a test, for whoever reads them.
        await File.WriteAllTextAsync(Path.Combine(pipeline.LogDirectory, "report.txt"), text.ToString(), ct);
        return report.Passed ? 0 : 1;
    }
}
