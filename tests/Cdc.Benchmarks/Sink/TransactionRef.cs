namespace Cdc.Benchmarks.Sink;

/// <summary>A change event's <c>transaction</c> block: the transaction's id (<c>"txId:LSN"</c>) and the event's place in it.</summary>
public readonly record struct TransactionRef(string Id, long TotalOrder);
