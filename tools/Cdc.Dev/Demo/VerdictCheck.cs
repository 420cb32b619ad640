using Cdc.Reconciler;
using Cdc.Verdict;

namespace Cdc.Dev.Demo;

/// <summary>
/// The second judge beside the reconciler: each store compared with the primary by the independent verdict
/// (<see cref="IndependentVerdict"/>: a plain sorted comparison of both sides' <c>COPY</c> output that shares no code with
/// the reconciler), through the subsystem's mapping as this tool configured it (not as the sink's router reads it). Both
/// must name the same rows; a disagreement fails the run.
/// </summary>
internal static class VerdictCheck
{
    /// <param name="extraTables">Tables beyond the shop's (chaos creates some), <c>schema.table</c>.</param>
    public static Task<StoreVerdict> RunAsync(string primary, string store, SubsystemMapping mapping, CancellationToken ct, IReadOnlyList<string>? extraTables = null) =>
        IndependentVerdict.CompareAsync(primary, store, ShopSchema.Tables.Concat(extraTables ?? []).Select(t => t.Split('.')).Select(t => new VerdictTable(t[0], t[1], t[0], t[1])
        {
            Excluded = t[1] == ShopSchema.Orders ? mapping.ExcludedOrderColumns.ToHashSet() : new HashSet<string>(),
            SoftDeletes = mapping.Soft,
        }), ct);

    /// <summary>Null when the reconciler and the verdict found the same rows missing, extra and changed; else what differs between them.</summary>
    public static string? Disagreement(ReconcileResult reconciled, StoreVerdict verdict)
    {
        if (reconciled.Lagging || reconciled.State is not RunState.Completed)
        {
            return $"the reconciler did not complete its check ({StoreCheck.Summary(reconciled)}); the verdict found {verdict}";
        }

        var byReconciler = reconciled.Tables.SelectMany(t => t.Findings.Select(f => $"{t.Table} {Names(f.Kind)} {string.Join(",", f.KeyValues)}")).ToHashSet();
        var byVerdict = verdict.Tables.SelectMany(t =>
            t.Missing.Select(r => Row(t, "missing", r)).Concat(t.Extra.Select(r => Row(t, "extra", r))).Concat(t.Changed.Select(r => Row(t, "divergent", r)))).ToHashSet();
        var onlyReconciler = byReconciler.Except(byVerdict).Order(StringComparer.Ordinal).ToList();
        var onlyVerdict = byVerdict.Except(byReconciler).Order(StringComparer.Ordinal).ToList();
        return onlyReconciler.Count == 0 && onlyVerdict.Count == 0 ? null
            : $"the reconciler alone found {onlyReconciler.Count} ({string.Join("; ", onlyReconciler.Take(5))}), the independent verdict alone {onlyVerdict.Count} ({string.Join("; ", onlyVerdict.Take(5))})";
    }

    /// <summary>"yes", or what differs.</summary>
    public static string Summary(StoreVerdict verdict) =>
        verdict.Equal ? "yes" : $"no ({verdict.Missing:#,0} missing, {verdict.Extra:#,0} extra, {verdict.Changed:#,0} different)";

    private static string Row(TableVerdict table, string kind, VerdictRow row) => $"{table.Table.Name} {kind} {string.Join(",", row.Key)}";

    private static string Names(DriftKind kind) => kind.ToString().ToLowerInvariant();
}
