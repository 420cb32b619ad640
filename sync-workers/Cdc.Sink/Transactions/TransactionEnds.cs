using System.Collections.Concurrent;

namespace Cdc.Sink.Transactions;

/// <summary>
/// The ENDs the <see cref="TransactionTracker"/> has read, handed to the worker in <c>transaction</c> consistency (the
/// store holds them too: the worker looks there for those read before it started). Bounded: the oldest are forgotten
/// past <see cref="Capacity"/>, and looked up in the store again if their events come after all.
/// </summary>
internal sealed class TransactionEnds
{
    public const int Capacity = 200_000;

    private readonly ConcurrentDictionary<long, TransactionEnd> _ends = new();
    private readonly ConcurrentQueue<long> _order = new();

    public void Add(long xid, TransactionEnd end)
    {
        if (_ends.TryAdd(xid, end))
        {
            _order.Enqueue(xid);
        }

        while (_ends.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _ends.TryRemove(oldest, out _);
        }
    }

    public TransactionEnd? Find(long xid) => _ends.TryGetValue(xid, out var end) ? end : null;
}
