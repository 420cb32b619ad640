namespace Cdc.Store.Transactions;

/// <summary>
/// A subsystem's freshness: every source transaction with a commit LSN at or below <see cref="Lsn"/> is finished with
/// here; <see cref="OldestOpenCommit"/> is the commit time of the oldest one not yet (null when none).
/// </summary>
public sealed record WatermarkStatus(long? Lsn, DateTimeOffset? OldestOpenCommit);
