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

    /// <summary>Events per op code (<c>c</c>, <c>u</c>, ...) for metrics.</summary>
    public Dictionary<string, int> EventsByOp { get; } = new(StringComparer.Ordinal);
}
