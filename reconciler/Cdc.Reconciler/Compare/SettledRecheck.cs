using Cdc.Reconciler.Consistency;
using Cdc.Reconciler.Schema;

namespace Cdc.Reconciler.Compare;

/// <summary>
/// Decides which differences seen in the first pass persist (docs/design.md#invariant-10-drift-is-what-persists). Both
/// sides read at one instant cannot tell drift from a row changed again within the pipeline's latency: under continuous
/// writes a row in flight at the first pass and again at the recheck was reported as drift. So the store's rows are
/// read first, then the primary's, and the store's again once it has applied everything the primary had committed by
/// then. A store row the stream left unchanged between its two reads held every change the primary's read saw (those
/// were all applied by the second read, none after the first), so a difference then is drift. A row the stream changed
/// meanwhile is read again, up to <see cref="Attempts"/> times: one still changing then is carried by the stream, not
/// drift. A row the store lacks at both reads has nothing to tell by: it is drift when it is still missing at the last
/// attempt.
/// </summary>
internal static class SettledRecheck
{
    public const int Attempts = 3;

    /// <returns>The drift (what still differs, but for the rows the stream was still changing at the last attempt), and
    /// how many rows the stream was still changing then (carried by it, not judged).</returns>
    public static async Task<(List<Finding> Drift, int StillChanging)> RunAsync(TablePair pair, TableComparer comparer, ConsistencyWaiter waiter, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        var drift = new List<Finding>();
        IReadOnlyList<Finding> remaining = findings;
        for (var attempt = 1; ; attempt++)
        {
            var first = await comparer.RowsAsync(onPrimary: false, remaining, cancellationToken);
            var primaryRows = await comparer.RowsAsync(onPrimary: true, remaining, cancellationToken);
            var reached = (await waiter.WaitAsync(await waiter.PositionAsync(cancellationToken), cancellationToken)).Reached;
            var second = (await comparer.RowsAsync(onPrimary: false, remaining, cancellationToken)).ToLookup(r => r.Key, StringComparer.Ordinal);
            var differing = RowDiff.Classify(pair, primaryRows, first);
            var last = attempt == Attempts;
            // A store that lags tells nothing apart: what differs is reported, as without the settling.
            var settled = !reached ? differing
                : differing.Where(f => f.StoreRow is { } row ? Unchanged(row, second[f.Key].FirstOrDefault()) : last && !second[f.Key].Any()).ToList();
            drift.AddRange(settled);
            remaining = [.. differing.Except(settled)];
            if (remaining.Count == 0 || last)
            {
                // In the first pass's order (rows settle at different attempts): reports and repairs list them as found.
                var order = findings.Select((f, i) => (f.Key, i)).DistinctBy(k => k.Key).ToDictionary(k => k.Key, k => k.i, StringComparer.Ordinal);
                return ([.. drift.OrderBy(f => order.GetValueOrDefault(f.Key, int.MaxValue))], remaining.Count);
            }
        }
    }

    private static bool Unchanged(SideRow first, SideRow? second) =>
        second is not null && first.Version == second.Version && first.Visible == second.Visible && first.Values.SequenceEqual(second.Values, StringComparer.Ordinal);
}
