namespace Cdc.Store.Transactions;

/// <summary>A transaction whose state changed in an evaluation; counted once per subsystem, by the instance that changed it.</summary>
public sealed record TransactionTransition(long Xid, long? CommitLsn, string State, DateTimeOffset? CommitTime, DateTimeOffset? CompletedAt)
{
    public TimeSpan? Duration => CompletedAt is { } done && CommitTime is { } commit ? done - commit : null;
}
