namespace Cdc.Reconciler.Audit;

/// <summary>One row of <c>reconcile_runs</c>.</summary>
public sealed record RunRecord(
    long Id,
    string State,
    string Repair,
    string Tables,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string CurrentTable,
    long RangesDone,
    long RangesTotal,
    long RowsCompared,
    long RowsTransferred,
    int Missing,
    int Extra,
    int Divergent,
    int Repaired,
    string Message,
    string Consistency);
