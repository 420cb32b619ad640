using Cdc.Schemas.Connect;
using Cdc.Store.Mapping;

namespace Cdc.Sink.Planning;

/// <summary>DDL the planner needs before it can plan a record: create the table, or add or widen columns.</summary>
/// <param name="Columns">Target column → the schema of its values, in event order.</param>
/// <param name="KeyColumns">Key columns (for a new table); empty for a keyless table or an added column.</param>
internal sealed record SchemaChange(TableTarget Target, bool CreateTable, IReadOnlyList<(string Column, ConnectSchema Schema)> Columns, IReadOnlyList<string> KeyColumns)
{
    /// <summary>Existing columns to give a wider type (<see cref="Store.ColumnWidening"/>): column → new type.</summary>
    public IReadOnlyList<(string Column, string Type)> Widened { get; init; } = [];
}
