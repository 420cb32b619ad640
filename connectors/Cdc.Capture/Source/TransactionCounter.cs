using Cdc.Schemas.Model;
using Cdc.Schemas.Transactions;

namespace Cdc.Capture.Source;

/// <summary>
/// Debezium's TransactionContext for one source transaction: the events so far in all, per table (<c>schema.table</c>)
/// in the order the tables first had one, and the <c>transaction</c> block of each event.
/// </summary>
internal sealed class TransactionCounter(long xid, long commitTimeMs)
{
    private readonly List<(string Table, long Count)> _perTable = [];
    private long _total;

    public long Xid => xid;

    /// <summary>Counts one event of <paramref name="table"/> at <paramref name="lsn"/> and returns its block (id <c>"txId:LSN"</c> of the event).</summary>
    public TransactionBlock Next(string table, long lsn)
    {
        _total++;
        var i = _perTable.FindIndex(t => t.Table == table);
        if (i < 0)
        {
            _perTable.Add((table, 1));
            i = _perTable.Count - 1;
        }
        else
        {
            _perTable[i] = (table, _perTable[i].Count + 1);
        }

        return new TransactionBlock(TransactionMetadata.FormatId(xid, lsn), _total, _perTable[i].Count);
    }

    public TransactionMetadata End(long commitLsn) => TransactionMetadata.End(xid, commitLsn, commitTimeMs, _perTable);
}
