using Cdc.Reconciler.Compare;

namespace Cdc.Reconciler;

/// <summary>One row that differs between the primary and the store.</summary>
/// <param name="Key">The key's canonical text (columns joined by U+001F).</param>
/// <param name="KeyValues">The key columns' values as text.</param>
/// <param name="Columns">For divergent rows: the primary's names of the columns that differ.</param>
/// <param name="StoreRow">The store row as read (its version guards a direct repair); null when absent.</param>
public sealed record Finding(string Table, DriftKind Kind, string Key, IReadOnlyList<string> KeyValues, IReadOnlyList<string> Columns, SideRow? StoreRow)
{
    /// <summary>How the repair went: null before any repair, else e.g. "repaired", "signalled", "skipped: changed".</summary>
    public string? Repair { get; set; }

    public string KeyDisplay => string.Join(",", KeyValues);

    /// <summary>The run's report line for it: kind, key, and the columns that differ.</summary>
    public string Display => $"{Names.Of(Kind)} {KeyDisplay}{(Columns.Count > 0 ? " columns " + string.Join(",", Columns) : "")}";
}
