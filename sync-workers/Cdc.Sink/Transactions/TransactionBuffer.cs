using Cdc.Sink.Planning;
using Cdc.Store.Transactions;

namespace Cdc.Sink.Transactions;

/// <summary>
/// <c>transaction</c> consistency: holds decoded records until their source transaction is complete here (its END's
/// count of events for this sink's topics has arrived), then releases all of it, in commit order, to be applied in one
/// store transaction. Each partition is a queue released only from its front, so the offsets stored with a release
/// never pass a record of an incomplete transaction (docs/design.md#invariant-3-exactly-once-effect-in-each-store):
/// after a restart every held record is read again, none applied twice. Records without a <c>transaction</c> block
/// (snapshot reads, producers without metadata) are released as soon as they reach their partition's front.
/// A transaction that cannot complete is released as it is, never held for ever, each time with its reason (<see cref="IncompleteTransaction"/>):
/// its END is proven lost (a later transaction's END is known and its events came after it), its missing events are
/// proven not to come (every partition they could be in has moved past its commit: dead letters the sink could not
/// attribute, or lost records; they are counted as failed), it waited <c>wait</c>, or the buffer holds
/// <c>maxEvents</c> and it is the largest transaction (the store shows it in parts until its last event).
/// </summary>
internal sealed class TransactionBuffer(int maxEvents, TimeSpan wait, TimeProvider time)
{
    private readonly Dictionary<(string Topic, int Partition), LinkedList<Entry>> _queues = [];
    private readonly Dictionary<long, Held> _open = [];
    private readonly Dictionary<(string Topic, int Partition), long> _lastXid = [];

    /// <summary>Records held.</summary>
    public int Count { get; private set; }

    /// <summary>At or past the bound: the worker stops reading until a release.</summary>
    public bool Full => Count >= maxEvents;

    /// <summary>Records held per partition (consumed, not applied: still lag).</summary>
    public IEnumerable<KeyValuePair<(string Topic, int Partition), int>> HeldPerPartition =>
        _queues.Where(q => q.Value.Count > 0).Select(q => KeyValuePair.Create(q.Key, q.Value.Count));

    /// <param name="tracked">Its transaction event (<see cref="TrackedEvents.Of"/>, or a dead letter's attribution); null outside any transaction.</param>
    public void Add(DecodedRecord record, TransactionEvent? tracked)
    {
        var tp = (record.Record.Topic, record.Record.Partition);
        if (!_queues.TryGetValue(tp, out var queue))
        {
            _queues[tp] = queue = new LinkedList<Entry>();
        }

        Held? held = null;
        if (tracked is not null)
        {
            if (!_open.TryGetValue(tracked.Xid, out held))
            {
                _open[tracked.Xid] = held = new Held(tracked.Xid, time.GetTimestamp());
            }

            if (held.Orders.Add(tracked.TotalOrder))
            {
                held.PerTopic[tp.Topic] = held.PerTopic.GetValueOrDefault(tp.Topic) + 1;
            }

            held.Buffered++;
            held.PerPartition[tp] = held.PerPartition.GetValueOrDefault(tp) + 1;
            _lastXid[tp] = tracked.Xid;
        }

        queue.AddLast(new Entry(record, held, tracked?.TotalOrder));
        Count++;
    }

    /// <summary>Transactions whose END is not known yet, and not looked up in the store for a second: the worker looks them up.</summary>
    public List<long> ToLookUp(Func<long, TransactionEnd?> ends)
    {
        var now = time.GetTimestamp();
        var due = new List<long>();
        foreach (var held in _open.Values)
        {
            if (held.Buffered > 0 && !held.Split && (held.LookedUp is null || (Known(held, ends) is null && time.GetElapsedTime(held.LookedUp.Value, now) > TimeSpan.FromSeconds(1))))
            {
                held.LookedUp = now;
                due.Add(held.Xid);
            }
        }

        return due;
    }

    /// <summary>What the store knows of a transaction: its END as saved by the tracker, and its events already applied (by a run before a restart).</summary>
    public void LookedUp(long xid, TransactionEnd? end, long stored)
    {
        if (_open.TryGetValue(xid, out var held))
        {
            held.End ??= end;
            held.Stored = stored;
        }
    }

    /// <summary>
    /// What can be applied now, in order: the front records of every partition that are outside any transaction, and
    /// each complete transaction in commit order, up to about <paramref name="maxRecords"/> (a transaction is never cut).
    /// </summary>
    /// <param name="ends">ENDs read by the tracker.</param>
    /// <param name="assigned">The partitions this worker reads (to prove that missing events are not coming).</param>
    public BufferRelease Release(Func<long, TransactionEnd?> ends, IReadOnlyCollection<(string Topic, int Partition)> assigned, int maxRecords)
    {
        var release = new BufferRelease();
        GiveUp(ends, assigned, release);
        bool progressed;
        do
        {
            progressed = false;
            foreach (var queue in _queues.Values)
            {
                while (queue.First is { } first && first.Value.Releasable)
                {
                    Take(queue, first, release);
                    progressed = true;
                }
            }

            if (release.Records.Count >= maxRecords)
            {
                break;
            }

            var next = _open.Values
                .Where(h => h.Buffered > 0 && !h.Split && !h.Releasing && Known(h, ends) is not null)
                .MinBy(h => Known(h, ends)!.CommitLsn);
            if (next is not null && Complete(next, ends) && AtFront(next))
            {
                next.Releasing = true;
                progressed = true;
            }
        }
        while (progressed);

        var now = time.GetTimestamp();
        foreach (var done in _open.Values.Where(h => h.Buffered == 0 && (h.Releasing || (h.Split && (Complete(h, ends) || time.GetElapsedTime(h.FirstSeen, now) > wait * 2)))).ToList())
        {
            _open.Remove(done.Xid);
        }

        return release;
    }

    /// <summary>Partitions taken away by a rebalance: their held records are the next owner's to read.</summary>
    public int Forget(IEnumerable<(string Topic, int Partition)> partitions)
    {
        var dropped = 0;
        foreach (var tp in partitions)
        {
            _lastXid.Remove(tp);
            if (!_queues.Remove(tp, out var queue))
            {
                continue;
            }

            foreach (var entry in queue)
            {
                dropped++;
                if (entry.Held is { } held)
                {
                    held.Buffered--;
                    held.PerPartition.Remove(tp);
                    if (entry.Order is { } order && held.Orders.Remove(order))
                    {
                        held.PerTopic[tp.Topic]--;
                    }
                }
            }
        }

        Count -= dropped;
        return dropped;
    }

    private void Take(LinkedList<Entry> queue, LinkedListNode<Entry> node, BufferRelease release)
    {
        queue.Remove(node);
        Count--;
        release.Records.Add(node.Value.Record);
        if (node.Value.Held is { } held)
        {
            held.Buffered--;
            held.PerPartition[(node.Value.Record.Record.Topic, node.Value.Record.Record.Partition)]--;
        }
    }

    private static TransactionEnd? Known(Held held, Func<long, TransactionEnd?> ends) => held.End ??= ends(held.Xid);

    private static long Arrived(Held held) => held.Orders.Count + held.Stored;

    private static bool Complete(Held held, Func<long, TransactionEnd?> ends) =>
        Known(held, ends) is { } end && Arrived(held) >= end.Expected;

    /// <summary>Every held record of the transaction is preceded in its partition only by records that go with it.</summary>
    private bool AtFront(Held held)
    {
        foreach (var (tp, count) in held.PerPartition)
        {
            var left = count;
            for (var node = _queues[tp].First; node is not null && left > 0; node = node.Next)
            {
                if (ReferenceEquals(node.Value.Held, held))
                {
                    left--;
                }
                else if (!node.Value.Releasable)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Transactions that cannot complete, released as they are (see the type's summary).</summary>
    private void GiveUp(Func<long, TransactionEnd?> ends, IReadOnlyCollection<(string Topic, int Partition)> assigned, BufferRelease release)
    {
        var now = time.GetTimestamp();
        foreach (var held in _open.Values.Where(h => h.Buffered > 0 && !h.Split && !Complete(h, ends)))
        {
            var end = Known(held, ends);
            string? reason = null;
            if (end is null && held.PerPartition.Keys.Any(tp => _lastXid.TryGetValue(tp, out var later) && later != held.Xid && ends(later) is not null))
            {
                reason = "its END never came (a later transaction's END did)";
            }
            else if (end is not null && MovedPast(held, end, ends, assigned))
            {
                reason = $"{end.Expected - Arrived(held)} of its {end.Expected} events never arrived or could not be read (every partition they could be in has moved past its commit); they count as failed";
                for (var i = 1; i <= end.Expected - Arrived(held); i++)
                {
                    release.Unarrived.Add(new TransactionEvent(held.Xid, -i, "?", Failed: true, Key: null));
                }
            }
            else if (time.GetElapsedTime(held.FirstSeen, now) > wait)
            {
                reason = end is null
                    ? $"its END did not come within {wait}"
                    : $"{Arrived(held)} of its {end.Expected} events arrived within {wait}";
            }

            if (reason is not null)
            {
                Split(held, reason, release);
            }
        }

        while (Count >= maxEvents && _open.Values.Where(h => h.Buffered > 0 && !h.Split && !h.Releasing).MaxBy(h => h.Buffered) is { } largest)
        {
            Split(largest, $"the buffer holds {Count} events (--transaction-buffer {maxEvents}) and it is the largest incomplete transaction ({largest.Buffered} held): applied in parts, the store shows part of it until its last event", release);
        }
    }

    /// <summary>Every partition its missing events could be in (of the topics that lack some) has a later transaction's record.</summary>
    private bool MovedPast(Held held, TransactionEnd end, Func<long, TransactionEnd?> ends, IReadOnlyCollection<(string Topic, int Partition)> assigned)
    {
        var lacking = end.PerTopic?.Where(t => held.PerTopic.GetValueOrDefault(t.Key) < t.Value).Select(t => t.Key).ToHashSet();
        var partitions = assigned.Where(tp => lacking is null || lacking.Contains(tp.Topic)).ToList();
        return partitions.Count > 0 && partitions.All(tp =>
            _lastXid.TryGetValue(tp, out var last) && last != held.Xid && ends(last) is { } later && later.CommitLsn > end.CommitLsn);
    }

    private static void Split(Held held, string reason, BufferRelease release)
    {
        held.Split = true;
        release.Incomplete.Add(new IncompleteTransaction(held.Xid, reason));
    }

    private sealed record Entry(DecodedRecord Record, Held? Held, long? Order)
    {
        public bool Releasable => Held is null || Held.Split || Held.Releasing;
    }

    private sealed class Held(long xid, long firstSeen)
    {
        public long Xid { get; } = xid;

        public long FirstSeen { get; } = firstSeen;

        public HashSet<long> Orders { get; } = [];

        public Dictionary<string, long> PerTopic { get; } = [];

        public Dictionary<(string Topic, int Partition), int> PerPartition { get; } = [];

        public int Buffered { get; set; }

        public long Stored { get; set; }

        public TransactionEnd? End { get; set; }

        public long? LookedUp { get; set; }

        public bool Split { get; set; }

        public bool Releasing { get; set; }
    }
}
