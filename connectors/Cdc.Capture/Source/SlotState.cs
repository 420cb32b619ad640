namespace Cdc.Capture.Source;

/// <summary>An existing replication slot: where it is confirmed, whether its initial snapshot completed, who holds it.</summary>
internal sealed record SlotState(long ConfirmedFlushLsn, bool SnapshotDone, int? ActivePid);
