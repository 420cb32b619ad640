namespace Cdc.Store.Transactions;

/// <summary>What the transaction topic said of one transaction in a read: its BEGIN, its END, or both.</summary>
public sealed record TransactionMark(long Xid, long? BeginLsn, long? CommitLsn, long CommitTsMs, long? TotalEvents, long? Expected);
