using System.Globalization;
using Cdc.Benchmarks.Support;

namespace Cdc.Dev.Demo;

/// <summary>The end of the demo: one table row per subsystem and the <c>RESULT</c> line.</summary>
internal static class DemoReport
{
    public static string Table(IReadOnlyList<SubsystemResult> results, FlipLatencies flips)
    {
        var table = new TextTable("subsystem", "store", "rows compared", "equal to primary", "independent verdict", "flip p50 ms", "p95 ms", "p99 ms", "events applied", "dead letters");
        foreach (var r in results)
        {
            var name = r.Subsystem.Name;
            var latencies = flips.Of(name);
            table.Add(
                name,
                r.Subsystem.Database.Name,
                Num(r.Check.RowsCompared),
                StoreCheck.Summary(r.Check),
                VerdictCheck.Summary(r.Verdict),
                FlipLatencies.Percentile(latencies, 50),
                FlipLatencies.Percentile(latencies, 95),
                FlipLatencies.Percentile(latencies, 99),
                Num(r.EventsApplied),
                Num(r.DeadLetters));
        }

        return table.ToString();
    }

    public static string Result(IReadOnlyList<SubsystemResult> results, FlipLatencies flips) =>
        $"RESULT demo stores_in_sync={results.Count(r => r.Equal)}/{results.Count} p99_ms={(flips.Incomplete > 0 ? "-" : FlipLatencies.Percentile(flips.Both, 99))}";

    public static string Num(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
