namespace Cdc.Store.Transactions;

/// <summary>
/// One event of a source transaction a batch finished with: applied (or skipped), or dead-lettered with its key.
/// <see cref="Partition"/> and <see cref="Offset"/> are the record it came in (null for an event proven never to arrive):
/// an event at or below the offset its partition already stored was counted by the batch that stored it.
/// </summary>
public sealed record TransactionEvent(long Xid, long TotalOrder, string Topic, bool Failed, string? Key)
{
    public int? Partition { get; init; }

    public long? Offset { get; init; }
}
