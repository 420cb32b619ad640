using Cdc.Schemas.Model;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;

namespace Cdc.Sink.Planning;

/// <summary>Everything a batch does to one target table.</summary>
internal sealed class TableChanges(TableTarget target, TableInfo table)
{
    public TableTarget Target { get; } = target;

    public TableInfo Table { get; } = table;

    /// <summary>Collapsed changes by row key (upserts and deletes).</summary>
    public Dictionary<string, RowChange> Rows { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows of a keyless table, in offset order.</summary>
    public List<RowChange> Appends { get; } = [];

    /// <summary>The newest truncate in the batch, if any (<see cref="TruncateAll"/> when it had no version).</summary>
    public ChangeVersion? Truncate { get; set; }

    public bool TruncateAll { get; set; }

    /// <summary>
    /// Events not applied because a change of the same row newer than or equal to them (docs/design.md#invariant-4-newer-always-wins)
    /// came earlier in the batch (counted while planning) or is already in the store (added once the batch applied).
    /// </summary>
    public long Superseded { get; set; }

    /// <summary>Events per op code (<c>c</c>, <c>u</c>, ...) for metrics.</summary>
    public Dictionary<string, int> EventsByOp { get; } = new(StringComparer.Ordinal);
}
