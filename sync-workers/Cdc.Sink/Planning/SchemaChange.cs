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

    /// <summary>
    /// Existing columns whose source changed to a type they cannot hold (<see cref="ColumnWidening.RetypedType"/>):
    /// retyped with PostgreSQL's cast, and the table re-snapshotted.
    /// </summary>
    /// <remarks><c>EventLsn</c>: the event LSN of the change that carried the new type (kept in the column's comment), null when unknown.</remarks>
    public IReadOnlyList<(string Column, string From, string To, long? EventLsn)> Retyped { get; init; } = [];

    /// <summary>
    /// The record that carried the new schema, when the sink must ask for the table's re-snapshot itself: a change of an
    /// existing table's columns in events of a connector that does not re-read the table by itself (Debezium;
    /// <see cref="Cdc.Schemas.Model.SourceInfo.ResnapshotsOnSchemaChange"/>).
    /// </summary>
    public SinkRecord? Trigger { get; init; }
}
