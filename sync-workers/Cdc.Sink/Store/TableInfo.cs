namespace Cdc.Sink.Store;

/// <summary>What the sink knows of an existing target table.</summary>
/// <param name="KeyColumns">Columns of the primary key (or, failing that, the first unique constraint); empty if none.</param>
public sealed record TableInfo(string Schema, string Table, IReadOnlyList<TableColumn> Columns, IReadOnlyList<string> KeyColumns)
{
    private readonly Dictionary<string, TableColumn> _byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public TableColumn? Find(string name) => _byName.GetValueOrDefault(name);

    public bool HasVersionColumns => _byName.ContainsKey(SinkColumns.CommitLsn) && _byName.ContainsKey(SinkColumns.EventLsn);

    public bool HasDeletedColumn => _byName.ContainsKey(SinkColumns.Deleted);

    public IEnumerable<TableColumn> DataColumns => Columns.Where(c => !SinkColumns.IsSinkColumn(c.Name));
}
