namespace Cdc.Capture.Source;

/// <summary>
/// A table the connector could capture, and whether publishing it is safe for the writers: with a publication that
/// publishes updates and deletes, PostgreSQL refuses every UPDATE and DELETE on a table without a usable replica
/// identity (a primary key, <c>REPLICA IDENTITY USING INDEX</c>, or <c>REPLICA IDENTITY FULL</c>); an unlogged or
/// temporary table cannot be published at all.
/// </summary>
internal sealed record PublishableTable(string Schema, string Table, bool Exists, string? Refusal)
{
    public string QualifiedName => $"{Schema}.{Table}";

    public bool Publishable => Exists && Refusal is null;
}
