using System.Diagnostics;
using System.Globalization;
using Cdc.DevKit.Reports;
using Cdc.Reconciler;
using Microsoft.Extensions.Logging;

namespace Cdc.Dev.Demo;

/// <summary>
/// The main job on one machine: a primary with an order-management schema and writers that know nothing of Cdc, the
/// .NET source connector reading its WAL into the embedded Kafka, two sink workers into two subsystem stores, the
/// seeds' 5,000-order update timed, drift injected and repaired by the reconciler, and every store compared with the
/// primary row for row.
/// </summary>
internal static class DemoRun
{
    public static async Task<int> RunAsync(DemoOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        DemoText.Header(options);
        await DemoText.ServerAsync(options.Postgres, ct);

        Console.WriteLine();
        await using var pipeline = await LocalPipeline.StartAsync(options, loggers, ct);
        var writer = pipeline.Writer;
        Console.WriteLine(
            $"[1/6] primary: database {pipeline.Primary.Name} (accounts, orders, order_items; no Cdc objects but Debezium's signal table), "
            + $"{DemoReport.Num(ShopWriter.Accounts)} accounts and {DemoReport.Num(options.Orders)} orders with items written before anything captured them");
        DemoText.Pipeline(pipeline);
        await using var sampler = new PipelineSampler(pipeline.Subsystems, pipeline.Progress, writer);
        sampler.Start();
        var phase = Stopwatch.GetTimestamp();
        await pipeline.CatchUpAsync(ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      initial snapshot (op=r) in both stores after {Stopwatch.GetElapsedTime(phase).TotalSeconds:0.0} s"));
        var setup = Stopwatch.GetElapsedTime(started);

        FlipLatencies flips;
        TimeSpan steady, flipping;
        var live = new LiveView(sampler);
        await using (live)
        {
            Console.WriteLine();
            Console.WriteLine(
                $"[3/6] writers: {DemoReport.Num(options.Rate)} transactions/s for {options.DurationSeconds} s on the primary, each its own transaction: "
                + "orders created with items, amended, cancelled, deleted (their items cascade)");
            live.Start();
            phase = Stopwatch.GetTimestamp();
            sampler.Mark("writers");
            await writer.RunSteadyAsync(options.Rate, TimeSpan.FromSeconds(options.DurationSeconds), ct);
            await pipeline.CatchUpAsync(ct);
            steady = Stopwatch.GetElapsedTime(phase);
        }

        Console.WriteLine(
            $"  writers done: {DemoReport.Num(writer.Creates)} created, {DemoReport.Num(writer.Amends)} amended, {DemoReport.Num(writer.Cancels)} cancelled, "
            + $"{DemoReport.Num(writer.Deletes)} deleted; both stores caught up (the slot confirmed the primary's position, the stores' offsets reached the topics' ends)");

        Console.WriteLine();
        Console.WriteLine(
            $"[4/6] the seeds' case: one UPDATE moving {DemoReport.Num(options.FlipOrders)} orders to a new status, {options.Flips} time{(options.Flips == 1 ? "" : "s")}; "
            + "each timed from the primary's commit until BOTH stores show every order in the new status");
        phase = Stopwatch.GetTimestamp();
        flips = await Flips.RunAsync(pipeline, ct, sampler);
        await pipeline.CatchUpAsync(ct);
        flipping = Stopwatch.GetElapsedTime(phase);

        phase = Stopwatch.GetTimestamp();
        sampler.Mark("drift, repair");
        var judgesAgreed = await RepairDriftAsync(pipeline, ct);
        var drift = Stopwatch.GetElapsedTime(phase);

        Console.WriteLine();
        Console.WriteLine("[6/6] every store compared with the primary row for row by the reconciler, through each subsystem's mapping, and again by the independent verdict");
        phase = Stopwatch.GetTimestamp();
        sampler.Mark("comparison");
        var results = new List<SubsystemResult>();
        foreach (var subsystem in pipeline.Subsystems)
        {
            var check = await StoreCheck.RunAsync(pipeline, subsystem, RepairMode.None, TextWriter.Null, ct);
            var verdict = await VerdictCheck.RunAsync(pipeline.Primary.ConnectionString, subsystem.Database.ConnectionString, subsystem.Mapping, ct);
            var applied = await pipeline.Progress.AppliedAsync(subsystem.Database.DataSource, subsystem.Name, ct);
            var deadLetters = DeadLetterCount.Of(pipeline.Cluster.BootstrapServers, subsystem.DeadLetterTopic);
            results.Add(new SubsystemResult(subsystem, check, verdict, applied, deadLetters));
        }

        var compare = Stopwatch.GetElapsedTime(phase);
        var inSync = results.All(r => r.Equal);
        var deadLettered = results.Sum(r => r.DeadLetters);
        DemoText.End(options, pipeline);
        var end = new System.Text.StringBuilder();
        end.AppendLine().AppendLine(DemoReport.Table(results, flips));
        foreach (var r in results.Where(r => r.Disagreement is not null))
        {
            end.AppendLine($"ERROR: the two judges disagree on the {r.Subsystem.Name} store: {r.Disagreement}; exit code 1");
        }

        foreach (var r in results.Where(r => r.DeadLetters > 0))
        {
            end.AppendLine($"WARNING: the {r.Subsystem.Name} worker dead-lettered {DemoReport.Num(r.DeadLetters)} events to {r.Subsystem.DeadLetterTopic} (0 expected: every event is valid); its log on stderr says why; exit code 1");
        }

        end.AppendLine();
        end.AppendLine(string.Create(
            CultureInfo.InvariantCulture,
            $"flips, both stores: p50 {FlipLatencies.Percentile(flips.Both, 50)} ms, p95 {FlipLatencies.Percentile(flips.Both, 95)} ms, p99 {FlipLatencies.Percentile(flips.Both, 99)} ms over {flips.Both.Count} flips (nearest rank)"));
        end.AppendLine(string.Create(
            CultureInfo.InvariantCulture,
            $"time: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s in all (set-up and snapshot {setup.TotalSeconds:0.0} s, writers and catch-up {steady.TotalSeconds:0.0} s, flips {flipping.TotalSeconds:0.0} s, drift and repair {drift.TotalSeconds:0.0} s, comparison {compare.TotalSeconds:0.0} s)"));
        end.Append(DemoReport.Result(results, flips));
        Console.WriteLine(end);
        var report = PipelineReport.Build(
            "cdc demo",
            sampler,
            flips,
            [
                new ReportFigure("stores-in-sync", "stores equal to the primary", $"{results.Count(r => r.Equal)}/{results.Count}"),
                .. results.Select(r => new ReportFigure($"applied-{r.Subsystem.Name}", $"events applied, {r.Subsystem.Name}", DemoReport.Num(r.EventsApplied))),
                new ReportFigure("dead-letters", "dead letters", DemoReport.Num(deadLettered)),
                new ReportFigure("seconds", "seconds in all", Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
            ],
            end.ToString().Trim());
        var path = await report.SaveAsync(options.Report ?? HtmlReport.DefaultPath("demo"), DemoText.Subtitle(options), ct);
        Console.WriteLine($"report: {path}");
        if (options.KeepRunning)
        {
            await WaitForCtrlCAsync(ct);
        }

        return inSync && judgesAgreed && deadLettered == 0 ? 0 : 1;
    }

    /// <summary>
    /// Drift in the analytics store behind the pipeline's back, found and repaired by the reconciler; the independent
    /// verdict, taken before the repair, must name exactly the rows the reconciler found.
    /// </summary>
    /// <returns>Whether the two judges agreed.</returns>
    private static async Task<bool> RepairDriftAsync(LocalPipeline pipeline, CancellationToken ct)
    {
        var target = pipeline.Subsystems[^1];
        Console.WriteLine();
        var what = await Drift.InjectAsync(target.Database, target.Mapping.Soft, ct);
        Console.WriteLine($"[5/6] drift injected into the {target.Name} store behind the pipeline's back: {what}");
        var verdict = await VerdictCheck.RunAsync(pipeline.Primary.ConnectionString, target.Database.ConnectionString, target.Mapping, ct);
        Console.WriteLine($"      cdc reconcile --repair resnapshot on {target.Name}: key-range checksums, bisection, recheck; missing and changed rows re-streamed through the signal table, extra rows removed");
        var result = await StoreCheck.RunAsync(pipeline, target, RepairMode.Resnapshot, new IndentedWriter(Console.Out, "      | "), ct);
        foreach (var table in result.Tables.Where(t => t.Findings.Count > 0 || t.Refusal is not null))
        {
            Console.WriteLine(table.Refusal is { } refusal
                ? $"      {table.Table}: refused: {refusal}"
                : $"      {table.Table}: {table.Missing} missing, {table.Extra} extra, {table.Divergent} different; {table.Repaired} repaired, {table.Unrepaired} not repaired");
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"      reconcile run {result.RunId}: {result.State}, {DemoReport.Num(result.RowsCompared)} rows compared, {DemoReport.Num(result.RowsTransferred)} rows transferred, {result.Duration.TotalSeconds:0.0} s (exit code {result.ExitCode}; its audit trail: cdc reconcile status --store ...)"));
        var disagreement = VerdictCheck.Disagreement(result, verdict);
        Console.WriteLine(disagreement is null
            ? $"      independent verdict before the repair: {verdict.Missing} missing, {verdict.Extra} extra, {verdict.Changed} different: the same rows as the reconciler"
            : $"      ERROR: the independent verdict before the repair disagrees with the reconciler: {disagreement}");
        await pipeline.CatchUpAsync(ct);
        return disagreement is null;
    }

    private static async Task WaitForCtrlCAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
