namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Gives changes the log positions PostgreSQL's WAL would: each transaction's changes get increasing LSNs, share one
/// transaction id and commit time, and carry the LSN of the previous transaction's commit, so
/// <c>(previous commit LSN, event LSN)</c> increases from one change to the next, as the sink's version guard expects.
/// </summary>
public sealed class SourceLog
{
    /// <summary>Bytes between consecutive WAL records; any positive step keeps the order.</summary>
    private const long RecordBytes = 0x68;

    private long _lsn;
    private long _lastCommitLsn;
    private long _txId;

    /// <param name="firstLsn">The LSN of the commit before the first transaction given here.</param>
    /// <param name="firstTxId">The id of the transaction before the first one given here.</param>
    public SourceLog(long firstLsn = 0x1_6B37_4000, long firstTxId = 750)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstLsn);
        _lsn = firstLsn;
        _lastCommitLsn = firstLsn;
        _txId = firstTxId;
    }

    /// <summary>Transactions committed so far.</summary>
    public long Transactions { get; private set; }

    /// <summary>One change in a transaction of its own.</summary>
    public OrderChange Commit(OrderChange change, long commitTsMs) => Commit([change], commitTsMs)[0];

    /// <summary>One transaction (e.g. one multi-row statement) of <paramref name="changes"/>, in order.</summary>
    public OrderChange[] Commit(IReadOnlyList<OrderChange> changes, long commitTsMs)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var txId = ++_txId;
        var positioned = new OrderChange[changes.Count];
        for (var i = 0; i < positioned.Length; i++)
        {
            _lsn += RecordBytes;
            positioned[i] = changes[i] with { Position = new SourcePosition(txId, _lastCommitLsn, _lsn, commitTsMs) };
        }

        _lsn += RecordBytes;
        _lastCommitLsn = _lsn;
        Transactions++;
        return positioned;
    }
}
