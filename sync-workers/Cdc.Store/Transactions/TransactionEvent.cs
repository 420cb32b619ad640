namespace Cdc.Store.Transactions;

/// <summary>One event of a source transaction a batch finished with: applied (or skipped), or dead-lettered with its key.</summary>
public sealed record TransactionEvent(long Xid, long TotalOrder, string Topic, bool Failed, string? Key);
