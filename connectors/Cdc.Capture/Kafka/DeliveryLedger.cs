using Confluent.Kafka;

namespace Cdc.Capture.Kafka;

/// <summary>
/// The units in flight in commit order, and the highest LSN all of whose records Kafka acknowledged (the slot is
/// confirmed only there: docs/design.md#invariant-1-nothing-lost-at-the-source). Delivery reports arrive on
/// librdkafka's thread, in any order across partitions; the confirmed LSN only moves past a unit when every unit before
/// it is done as well.
/// </summary>
internal sealed class DeliveryLedger(TimeProvider time)
{
    private readonly Queue<DeliveryUnit> _units = new();
    private readonly Lock _lock = new();
    private long _confirmable;
    private Error? _failure;

    /// <summary>Raised (on the acknowledging thread) with the new confirmable LSN.</summary>
    public event Action<long>? Confirmable;

    /// <summary>Raised for every unit completed, in order (metrics: lag, counts).</summary>
    public event Action<DeliveryUnit>? UnitDone;

    /// <summary>Where records the broker refuses as too large are recorded instead of failing the session.</summary>
    public SkippedRows? Skipped { get; set; }

    /// <summary>The first delivery error: the session must restart from the slot's confirmed LSN.</summary>
    public Error? Failure => Volatile.Read(ref _failure);

    public long ConfirmableLsn => Interlocked.Read(ref _confirmable);

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _units.Count;
            }
        }
    }

    /// <summary>The oldest unit not done yet, if any: all later ones wait for it.</summary>
    public DeliveryUnit? Oldest
    {
        get
        {
            lock (_lock)
            {
                return _units.TryPeek(out var unit) ? unit : null;
            }
        }
    }

    public DeliveryUnit Open(DateTimeOffset? commitTime = null)
    {
        var now = time.GetUtcNow();
        var unit = new DeliveryUnit(this, commitTime ?? now, now);
        lock (_lock)
        {
            _units.Enqueue(unit);
        }

        return unit;
    }

    /// <summary>Completes at once when nothing is in flight, else when everything opened so far is acknowledged.</summary>
    public async Task WaitForAllAsync(CancellationToken cancellationToken)
    {
        while (InFlight > 0)
        {
            if (Failure is { } error)
            {
                throw new KafkaException(error);
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    internal void Advance()
    {
        long? confirm = null;
        List<DeliveryUnit>? done = null;
        lock (_lock)
        {
            while (_units.TryPeek(out var head) && head.IsDone)
            {
                _units.Dequeue();
                (done ??= []).Add(head);
                if (head.ConfirmLsn is { } lsn && lsn > _confirmable)
                {
                    Interlocked.Exchange(ref _confirmable, lsn);
                    confirm = lsn;
                }
            }
        }

        if (done is not null)
        {
            foreach (var unit in done)
            {
                UnitDone?.Invoke(unit);
            }
        }

        if (confirm is { } c && Failure is null)
        {
            Confirmable?.Invoke(c);
        }
    }

    internal void Fail(Error error, string topic)
    {
        _ = topic;
        Interlocked.CompareExchange(ref _failure, error, null);
    }
}
