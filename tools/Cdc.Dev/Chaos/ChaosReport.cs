using System.Globalization;
using Cdc.Benchmarks.Support;
using Cdc.Dev.Demo;
using Cdc.Reconciler;
using Cdc.Verdict;

namespace Cdc.Dev.Chaos;

/// <summary>
/// One store at the end of a chaos run: what it applied, what the reconciler found and what the independent verdict
/// found beside it (they must agree), what it dead-lettered.
/// </summary>
internal sealed record StoreOutcome(string Name, long Applied, ReconcileResult Check, StoreVerdict Verdict, long DeadLetters)
{
    /// <summary>Null when both judges name the same rows; else how they differ (the run fails).</summary>
    public string? Disagreement { get; } = VerdictCheck.Disagreement(Check, Verdict);

    public long Lost => Check.Tables.Sum(t => t.Missing);

    public long Wrong => Check.Tables.Sum(t => t.Divergent + t.Extra);

    /// <summary>The check itself did not complete (lagging, a refused table, an error): nothing proven.</summary>
    public bool Unchecked => Check.Lagging || Check.State is not RunState.Completed;
}

/// <summary>The tables and the <c>RESULT</c> line of <c>cdc chaos</c>.</summary>
internal sealed class ChaosReport(IReadOnlyList<FaultRecord> recoveries, IReadOnlyList<StoreOutcome> stores, long written, int poison)
{
    public bool Passed =>
        stores.All(s => s.Lost == 0 && s.Wrong == 0 && !s.Unchecked && s.Verdict.Equal && s.Disagreement is null && s.DeadLetters == poison)
        && recoveries.All(r => r.Outcome.RowsLost is null or 0);

    /// <summary>One line per store whose two judges disagree.</summary>
    public IEnumerable<string> Disagreements => stores.Where(s => s.Disagreement is not null).Select(s => $"ERROR: the two judges disagree on the {s.Name} store: {s.Disagreement}");

    public string FaultTable()
    {
        var table = new TextTable("fault", "injected", "recovered p50 s", "max s", "caught up p50 s", "max s");
        foreach (var group in recoveries.GroupBy(r => r.Kind))
        {
            var seconds = group.Select(r => r.Seconds).ToList();
            var caughtUp = group.Select(r => r.CaughtUpSeconds).ToList();
            table.Add(
                group.Key,
                group.Count().ToString(CultureInfo.InvariantCulture),
                Seconds(Stats.Percentile(seconds, 50)),
                Seconds(seconds.Max()),
                Seconds(Stats.Percentile(caughtUp, 50)),
                Seconds(caughtUp.Max()));
        }

        return table.ToString();
    }

    /// <summary>Every fault that loses data on its way: how it was detected, seconds to heal, rows lost after the heal.</summary>
    public string HealTable()
    {
        var table = new TextTable("#", "fault", "detected by", "healed in s", "rows lost");
        foreach (var (record, index) in recoveries.Select((r, i) => (r, i + 1)).Where(x => x.r.Outcome.HealSeconds is not null))
        {
            table.Add(index.ToString(CultureInfo.InvariantCulture), record.Kind, record.Outcome.Detected, Seconds(record.Outcome.HealSeconds!.Value), record.Outcome.RowsLost?.ToString(CultureInfo.InvariantCulture) ?? "-");
        }

        return table.ToString();
    }

    public string StoreTable()
    {
        var table = new TextTable("store", "writer transactions", "events applied", "rows compared", "rows lost", "rows wrong", "independent verdict", "dead-lettered", "poison injected");
        foreach (var s in stores)
        {
            table.Add(
                s.Name,
                DemoReport.Num(written),
                DemoReport.Num(s.Applied),
                s.Unchecked ? $"not checked: {StoreCheck.Summary(s.Check)}" : DemoReport.Num(s.Check.RowsCompared),
                DemoReport.Num(s.Lost),
                DemoReport.Num(s.Wrong),
                s.Disagreement is null ? VerdictCheck.Summary(s.Verdict) : $"disagrees: {VerdictCheck.Summary(s.Verdict)}",
                DemoReport.Num(s.DeadLetters),
                DemoReport.Num(poison));
        }

        return table.ToString();
    }

    public string Result()
    {
        var p99 = recoveries.Count == 0 ? "-" : Seconds(Stats.Percentile(recoveries.Select(r => r.Seconds).ToList(), 99));
        var kinds = recoveries.Select(r => r.Kind).Distinct().Count();
        var lost = stores.Any(s => s.Unchecked) ? "-" : stores.Sum(s => s.Lost).ToString(CultureInfo.InvariantCulture);
        var wrong = stores.Any(s => s.Unchecked) ? "-" : stores.Sum(s => s.Wrong).ToString(CultureInfo.InvariantCulture);
        return $"RESULT chaos faults={recoveries.Count} kinds={kinds} lost={lost} wrong={wrong} recover_p99_s={p99}";
    }

    private static string Seconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
