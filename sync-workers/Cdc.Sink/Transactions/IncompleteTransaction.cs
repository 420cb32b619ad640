namespace Cdc.Sink.Transactions;

/// <summary>A source transaction <see cref="TransactionBuffer"/> released before it was complete, and why.</summary>
internal sealed record IncompleteTransaction(long Xid, string Reason);
