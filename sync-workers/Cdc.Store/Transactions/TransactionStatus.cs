namespace Cdc.Store.Transactions;

/// <summary>What one subsystem knows of one source transaction: the answer of <c>cdc txn</c> and the sink's HTTP endpoint.</summary>
public sealed record TransactionStatus(
    long Xid,
    long? BeginLsn,
    long? CommitLsn,
    DateTimeOffset? CommitTime,
    long? TotalEvents,
    long? Expected,
    long Applied,
    long Failed,
    string State,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> FailedKeys)
{
    /// <summary>Commit on the primary to the last event visible here, once complete.</summary>
    public TimeSpan? Duration => CompletedAt is { } done && CommitTime is { } commit ? done - commit : null;
}
