namespace Cdc.Benchmarks.Reconcile;

/// <summary>One timed reconcile run of the benchmark.</summary>
internal sealed record ReconcileRun(long Rows, double Seconds, double RowsPerSecond, long Transferred, int Found)
{
    public long TransferredWithDrift { get; init; }

    /// <summary>The whole run: connections, audit rows, consistency wait, comparison, recheck.</summary>
    public double RunSeconds { get; init; }
}
