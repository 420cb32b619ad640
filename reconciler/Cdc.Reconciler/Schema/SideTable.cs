namespace Cdc.Reconciler.Schema;

/// <summary>A table as one side's catalog describes it.</summary>
public sealed record SideTable(TableName Name, IReadOnlyList<SideColumn> Columns, IReadOnlyList<string> KeyColumns)
{
    public SideColumn? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);
}
