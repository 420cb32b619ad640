namespace Cdc.Reconciler.Compare;

/// <summary>One row as fetched from one side for the row-by-row comparison.</summary>
/// <param name="Key">The row's identity on both sides (<see cref="KeyIdentity"/> of <paramref name="KeyValues"/>).</param>
/// <param name="KeyValues">The key columns' canonical texts (parameters for later reads and repairs).</param>
/// <param name="Values">Canonical text of every compared column (keys first), null for SQL NULL.</param>
/// <param name="Version">The store row's <c>(_cdc_commit_lsn, _cdc_event_lsn)</c>; null on the primary or unversioned.</param>
/// <param name="Visible">False for a store row flagged <c>_cdc_deleted</c> (it counts as absent).</param>
public sealed record SideRow(string Key, string[] KeyValues, string?[] Values, RowVersion? Version, bool Visible);
