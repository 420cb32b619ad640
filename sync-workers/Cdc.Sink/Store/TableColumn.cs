namespace Cdc.Sink.Store;

/// <param name="Name">Column name in the target table.</param>
/// <param name="PgType">PostgreSQL's <c>format_type()</c> of the column, e.g. <c>numeric(12,2)</c>.</param>
public sealed record TableColumn(string Name, string PgType);
