using System.Globalization;
using Cdc.Reconciler.Audit;

namespace Cdc.Reconciler.Reporting;

/// <summary>One run as <c>cdc reconcile status</c> prints it.</summary>
public static class StatusLine
{
    public static string Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var when = run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var progress = run.FinishedAt is null
            ? $"ranges {run.RangesDone}/{run.RangesTotal}, {run.RowsCompared:N0} rows so far{(run.CurrentTable.Length > 0 ? " in " + run.CurrentTable : "")}"
            : $"{run.RowsCompared:N0} rows compared in {(run.FinishedAt.Value - run.StartedAt).TotalSeconds:0.0} s";
        var drift = $"missing {run.Missing}, extra {run.Extra}, divergent {run.Divergent}, repaired {run.Repaired}";
        return string.Create(CultureInfo.InvariantCulture,
            $"#{run.Id} {when}Z {run.State,-15} repair={run.Repair} tables={run.Tables}: {progress}; {drift}{(run.Message.Length > 0 ? " — " + run.Message : "")}");
    }
}
