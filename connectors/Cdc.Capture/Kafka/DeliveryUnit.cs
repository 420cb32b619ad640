using Confluent.Kafka;

namespace Cdc.Capture.Kafka;

/// <summary>
/// The records of one source transaction (or one snapshot chunk, or one heartbeat) on their way to Kafka. It is done
/// when it is sealed and every record was acknowledged; its LSN may then be confirmed once all earlier units are
/// done too (<see cref="DeliveryLedger"/>).
/// </summary>
internal sealed class DeliveryUnit
{
    private readonly DeliveryLedger _ledger;
    private int _outstanding;
    private int _sealed;

    public DeliveryUnit(DeliveryLedger ledger, DateTimeOffset commitTime, DateTimeOffset openedAt)
    {
        _ledger = ledger;
        CommitTime = commitTime;
        OpenedAt = openedAt;
        OnDelivered = Delivered;
    }

    /// <summary>The LSN to confirm once this unit and every earlier one are acknowledged; null for none.</summary>
    public long? ConfirmLsn { get; private set; }

    public DateTimeOffset CommitTime { get; }

    /// <summary>When the connector began the unit: for a transaction, when its BEGIN arrived from the slot.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>Records produced so far.</summary>
    public int Count { get; private set; }

    /// <summary>One cached delivery handler per unit, not one per record.</summary>
    public Action<DeliveryReport<byte[]?, byte[]?>> OnDelivered { get; }

    public Action<DeliveryUnit>? Completed { get; init; }

    public bool IsDone => IsSealed && Outstanding == 0;

    /// <summary>Every record was handed to the producer (the transaction's COMMIT was read).</summary>
    public bool IsSealed => Volatile.Read(ref _sealed) == 1;

    /// <summary>Records handed to the producer and not acknowledged yet.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    public void Add()
    {
        Count++;
        Interlocked.Increment(ref _outstanding);
    }

    /// <summary>No more records: the unit completes when the outstanding ones are acknowledged.</summary>
    public void Seal(long? confirmLsn)
    {
        ConfirmLsn = confirmLsn;
        Volatile.Write(ref _sealed, 1);
        if (Volatile.Read(ref _outstanding) == 0)
        {
            _ledger.Advance();
        }
    }

    /// <summary>A record could not be produced at all (never handed to the client).</summary>
    public void Abandon() => Interlocked.Decrement(ref _outstanding);

    private void Delivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        // A record the broker refuses as too large is recorded as skipped (in this unit) rather than failing the session,
        // which would only send it again (docs/design.md#no-silent-loss).
        if (report.Error.IsError && !(_ledger.Skipped?.TryAbsorb(report, this) ?? false))
        {
            _ledger.Fail(report.Error, report.Topic);
        }

        if (Interlocked.Decrement(ref _outstanding) == 0 && Volatile.Read(ref _sealed) == 1)
        {
            _ledger.Advance();
        }
    }
}
