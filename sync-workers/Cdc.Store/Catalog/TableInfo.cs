using Cdc.Store.Bookkeeping;

namespace Cdc.Store.Catalog;

/// <summary>A table as <see cref="StoreCatalog"/> reads it.</summary>
/// <param name="KeyColumns">The columns of its key by <see cref="Common.Postgres.KeyRule"/> (the primary key, else a unique index), in index order; empty if none.</param>
public sealed record TableInfo(string Schema, string Table, IReadOnlyList<TableColumn> Columns, IReadOnlyList<string> KeyColumns)
{
    private readonly Dictionary<string, TableColumn> _byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>A partitioned table (<c>relkind = 'p'</c>): its rows live in its leaf partitions.</summary>
    public bool IsPartitioned { get; init; }

    public TableColumn? Find(string name) => _byName.GetValueOrDefault(name);

    public bool HasVersionColumns => _byName.ContainsKey(SinkColumns.CommitLsn) && _byName.ContainsKey(SinkColumns.EventLsn);

    public bool HasDeletedColumn => _byName.ContainsKey(SinkColumns.Deleted);

    public IEnumerable<TableColumn> DataColumns => Columns.Where(c => !SinkColumns.IsSinkColumn(c.Name));

    public override string ToString() => $"{Schema}.{Table}";
}
