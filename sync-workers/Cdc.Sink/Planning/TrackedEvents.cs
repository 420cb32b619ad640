using Cdc.Schemas;
using Cdc.Schemas.Transactions;
using Cdc.Store.Mapping;
using Cdc.Store.Transactions;

namespace Cdc.Sink.Planning;

/// <summary>The transaction event a decoded record is (its <c>transaction</c> block), for the subsystem's transaction tracking.</summary>
internal static class TrackedEvents
{
    /// <returns>Null for records outside any tracked transaction: no block, a side topic, or not decoded.</returns>
    public static TransactionEvent? Of(DecodedRecord record, bool failed)
    {
        if (record.Change?.Event?.Transaction is not { } block || TableRouter.IsSideTopic(record.Record.Topic))
        {
            return null;
        }

        long xid;
        try
        {
            xid = TransactionMetadata.ParseId(block.Id).Xid;
        }
        catch (EventDecodeException)
        {
            return null;
        }

        var key = failed && record.Change.Key is { } k ? string.Join(",", k.Select(c => $"{c.Name}={c.Value}")) : null;
        return new TransactionEvent(xid, block.TotalOrder, record.Record.Topic, failed, key) { Partition = record.Record.Partition, Offset = record.Record.Offset };
    }
}
