using System.Collections.Concurrent;

namespace Cdc.Sink.Transactions;

/// <summary>
/// Source transactions whose events this worker's batches counted (or dead-lettered) since the
/// <see cref="TransactionTracker"/> last looked: a lane adds them once its batch has committed, and the tracker
/// re-evaluates those instead of every open transaction.
/// </summary>
internal sealed class ChangedTransactions
{
    private readonly ConcurrentDictionary<long, byte> _xids = new();

    public void Add(IEnumerable<long> xids)
    {
        foreach (var xid in xids)
        {
            _xids.TryAdd(xid, 0);
        }
    }

    /// <summary>The transactions changed since the last call; a change committed after it is in the next.</summary>
    public List<long> Take()
    {
        var taken = new List<long>();
        foreach (var xid in _xids.Keys)
        {
            if (_xids.TryRemove(xid, out _))
            {
                taken.Add(xid);
            }
        }

        return taken;
    }
}
