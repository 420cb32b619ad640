namespace Cdc.Sink.Transactions;

/// <summary>
/// What a transaction's END record says for this subsystem: its commit LSN, how many of its events this sink consumes,
/// and (when read from the topic, not from the store) that count per consumed topic.
/// </summary>
internal sealed record TransactionEnd(long CommitLsn, long Expected, IReadOnlyDictionary<string, long>? PerTopic);
