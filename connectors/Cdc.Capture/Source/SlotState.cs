namespace Cdc.Capture.Source;

/// <summary>
/// An existing replication slot: where it is confirmed, whether its initial snapshot completed, who holds it, and the
/// tables read in full since (null when an earlier version recorded none).
/// </summary>
internal sealed record SlotState(long ConfirmedFlushLsn, bool SnapshotDone, int? ActivePid, HashSet<string>? Covered = null)
{
    /// <summary>The captured tables' shapes as last emitted (<see cref="SavedShapes"/>); null when none were recorded.</summary>
    public string? Shapes { get; init; }
}
