namespace Cdc.Capture.Source;

/// <summary>
/// Where a change sits in the source: Debezium's <c>source</c> fields that vary per event. <see cref="LastCommitLsn"/>
/// is the end LSN of the previous transaction's commit (what Debezium puts first in <c>sequence</c>), so
/// (<c>sequence[0]</c>, <c>sequence[1]</c>) grows in commit order even though event LSNs interleave.
/// </summary>
internal readonly record struct SourcePosition(
    long? LastCommitLsn,
    long? Lsn,
    long? TxId,
    DateTimeOffset CommitTime,
    string Snapshot)
{
    public const string NotSnapshot = "false";
    public const string Incremental = "incremental";
}
