namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Where a change sits in the primary's log, as Debezium's PostgreSQL connector reports it: the transaction id,
/// the LSN of the commit before this transaction (<c>source.sequence[0]</c>), the change's own LSN
/// (<c>source.sequence[1]</c> and <c>source.lsn</c>) and the commit time in epoch milliseconds (<c>source.ts_ms</c>).
/// Every change of one transaction shares <see cref="TxId"/>, <see cref="PreviousCommitLsn"/> and <see cref="CommitTsMs"/>.
/// </summary>
public readonly record struct SourcePosition(long TxId, long PreviousCommitLsn, long Lsn, long CommitTsMs);
