using Cdc.Reconciler.Consistency;

namespace Cdc.Reconciler;

/// <summary>The outcome of one run.</summary>
public sealed class ReconcileResult
{
    public long RunId { get; set; }

    public RunState State { get; set; } = RunState.Pending;

    public ConsistencyPoint? Consistency { get; set; }

    /// <summary>The run could not reach a consistency point in time: the pipeline lags (no drift reported).</summary>
    public bool Lagging { get; set; }

    public string? Error { get; set; }

    public List<TableResult> Tables { get; } = [];

    public long RowsCompared { get; set; }

    public long RowsTransferred { get; set; }

    public TimeSpan Duration { get; set; }

    /// <summary>Wall time of the tables' key-range comparisons (what rows compared per second is measured over).</summary>
    public TimeSpan CompareDuration => TimeSpan.FromTicks(Tables.Sum(t => t.CompareDuration.Ticks));

    public int Drift => Tables.Sum(t => t.Findings.Count);

    /// <summary>0 no drift, 1 drift found (repaired when asked), 2 error, refused tables or skipped columns without drift, 3 lagging.</summary>
    public int ExitCode =>
        Lagging ? 3
        : Drift > 0 ? 1
        : State is RunState.Failed or RunState.PartialFailure ? 2
        : 0;
}
