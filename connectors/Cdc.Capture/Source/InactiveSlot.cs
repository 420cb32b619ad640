namespace Cdc.Capture.Source;

/// <summary>A replication slot on the server that nothing consumes, and the WAL it keeps (<c>pg_current_wal_lsn() -
/// restart_lsn</c>).</summary>
internal sealed record InactiveSlot(string Name, string? Database, long RetainedWalBytes);
