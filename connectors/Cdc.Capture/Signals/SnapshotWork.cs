namespace Cdc.Capture.Signals;

/// <summary>One table of an <c>execute-snapshot</c> request waiting for (or in) its incremental snapshot.</summary>
/// <param name="Id">The signal's id (the first, when requests were merged).</param>
/// <param name="Collection">The table, <c>schema.table</c>.</param>
/// <param name="Filter">The <c>additional-conditions</c> filter; null for the whole table.</param>
internal sealed record SnapshotWork(string Id, string Collection, string? Filter);
