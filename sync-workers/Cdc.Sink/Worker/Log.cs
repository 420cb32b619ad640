using Microsoft.Extensions.Logging;

namespace Cdc.Sink.Worker;

/// <summary>The sink's log messages. Event ids: 1xxx lifecycle, 2xxx apply, 3xxx faults.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "sink started: group {Group}, store {Store}, dead letters to {DeadLetterTopic}")]
    public static partial void Started(ILogger logger, string group, string store, string deadLetterTopic);

    [LoggerMessage(1002, LogLevel.Information, "assigned {Count} partitions (stored offsets read in {OffsetsMs} ms, topic ids in {TopicIdsMs} ms); resuming from offsets stored in the subsystem store: {Offsets}")]
    public static partial void Assigned(ILogger logger, int count, long offsetsMs, long topicIdsMs, string offsets);

    [LoggerMessage(1003, LogLevel.Information, "revoked {Count} partitions; dropped {Dropped} records not yet applied (the next owner re-reads them)")]
    public static partial void Revoked(ILogger logger, int count, int dropped);

    [LoggerMessage(1010, LogLevel.Information, "dropped {Dropped} records of the batch in flight before its retry: their partitions were revoked while it waited (the next owner re-reads them)")]
    public static partial void DroppedRevoked(ILogger logger, int dropped);

    [LoggerMessage(1004, LogLevel.Information, "stopping: the batch in flight was applied and committed; leaving the group")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(2001, LogLevel.Debug, "applied {Records} records in {Milliseconds} ms")]
    public static partial void Applied(ILogger logger, int records, long milliseconds);

    [LoggerMessage(2002, LogLevel.Information, "{Table}: {Count} change events not applied since the last report, each older than or equal to what the store holds for its row (re-delivered after a restart or a replay, or out of order by LSN: docs/design.md#invariant-4-newer-always-wins)")]
    public static partial void Superseded(ILogger logger, string table, long count);

    [LoggerMessage(3001, LogLevel.Warning, "{What} ({Reason}); partitions paused, retrying in {DelayMs} ms (attempt {Attempt})")]
    public static partial void Paused(ILogger logger, string what, string reason, long delayMs, int attempt);

    [LoggerMessage(3002, LogLevel.Information, "back after {Attempts} attempts; partitions resumed")]
    public static partial void StoreRecovered(ILogger logger, int attempts);

    [LoggerMessage(3003, LogLevel.Error, "dead-lettered {Topic}[{Partition}]@{Offset} ({Stage}): {Reason}")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string stage, string reason);

    [LoggerMessage(3004, LogLevel.Warning, "batch of {Records} records failed on a data error ({Reason}); splitting it to isolate the bad record")]
    public static partial void Splitting(ILogger logger, int records, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "cannot read stored offsets ({Reason}); retrying in {DelayMs} ms")]
    public static partial void OffsetsUnavailable(ILogger logger, string reason, long delayMs);

    [LoggerMessage(3007, LogLevel.Error, "gap in {Topic}[{Partition}]: offsets {Range} were never read ({Lost} records lost; {Reason}); heal requested for table {Table}")]
    public static partial void Gap(ILogger logger, string topic, int partition, string range, string lost, string reason, string table);

    [LoggerMessage(3008, LogLevel.Warning, "cannot record a gap in the store ({Reason}); retrying in {DelayMs} ms")]
    public static partial void GapUnrecorded(ILogger logger, string reason, long delayMs);

    [LoggerMessage(3009, LogLevel.Warning, "heal signal for {Tables} not sent ({Reason}); retrying")]
    public static partial void HealSignalFailed(ILogger logger, string tables, string reason);

    [LoggerMessage(2010, LogLevel.Warning, "schema change on {Table}: column {Column} is {From} in the store but its source is now {To}, which it cannot hold: retyping it with PostgreSQL's cast (the table's re-snapshot rewrites its rows)")]
    public static partial void ColumnRetyped(ILogger logger, string table, string column, string from, string to);

    [LoggerMessage(2011, LogLevel.Warning, "schema change on {Table} ({Change}) in events of a connector that does not re-read a table after a schema change: asking the connector to re-snapshot the table")]
    public static partial void ResnapshotAsked(ILogger logger, string table, string change);

    [LoggerMessage(1005, LogLevel.Information, "heal: asked the source connector ({Topic}, key {Prefix}) to re-snapshot {Table} for {Gaps} gap(s)")]
    public static partial void HealSignalled(ILogger logger, string topic, string prefix, string table, int gaps);

    [LoggerMessage(3011, LogLevel.Warning, "could not read the topic ids of {Topics} at assignment (Kafka did not answer): resuming them from the stored offsets without comparing incarnations; the incarnation watch compares them within seconds")]
    public static partial void TopicIdsUnread(ILogger logger, string topics);

    [LoggerMessage(3012, LogLevel.Warning, "leaving group {Group} did not finish within {Deadline}: the consumer is left to the coordinator, which drops it at its session timeout (its partitions move on then; positions are in the store)")]
    public static partial void LeaveTimedOut(ILogger logger, string group, TimeSpan deadline);

    [LoggerMessage(1008, LogLevel.Information, "left group {Group} while the start-up waits for the store (a member that does not poll would hold up the group's rebalances); joining again once it answers")]
    public static partial void SteppedOut(ILogger logger, string group);

    [LoggerMessage(3006, LogLevel.Error, "Kafka error: {Reason}")]
    public static partial void KafkaError(ILogger logger, string reason);

    [LoggerMessage(1009, LogLevel.Information, "tracking transactions from {Topic} (SLA {SlaMs} ms, kept {Retention})")]
    public static partial void TrackingTransactions(ILogger logger, string topic, long slaMs, TimeSpan retention);

    [LoggerMessage(1006, LogLevel.Warning, "not tracking transactions: no transaction topic can be told from the topics; set --transaction-topic")]
    public static partial void NotTrackingTransactions(ILogger logger);

    [LoggerMessage(2004, LogLevel.Debug, "transaction {Xid} (commit {CommitLsn}) {State} in {Milliseconds} ms")]
    public static partial void TransactionFinished(ILogger logger, long xid, string commitLsn, string state, long milliseconds);

    [LoggerMessage(3013, LogLevel.Warning, "transaction tracking: {Reason}; retrying")]
    public static partial void TrackingFailed(ILogger logger, string reason);

    [LoggerMessage(3014, LogLevel.Warning, "skipped a record of {Topic}@{Offset} that is not a BEGIN or END record: {Reason}")]
    public static partial void NotTransactionRecord(ILogger logger, string topic, long offset, string reason);

    [LoggerMessage(3015, LogLevel.Error, "transaction {Xid} (commit {CommitLsn}) ended PARTIAL_FAILURE: some of its events were dead-lettered (cdc txn {Xid} names them)")]
    public static partial void TransactionPartiallyFailed(ILogger logger, long xid, string commitLsn);

    [LoggerMessage(3010, LogLevel.Error, "transaction {Xid} applied before it was complete here: {Reason}; --consistency transaction could not keep it whole")]
    public static partial void AppliedIncomplete(ILogger logger, long xid, string reason);

    [LoggerMessage(1007, LogLevel.Information, "consistency transaction: each source transaction applied whole, in commit order (held up to {MaxEvents} events; an incomplete one waited {Wait}); one apply lane")]
    public static partial void TransactionConsistency(ILogger logger, int maxEvents, TimeSpan wait);
}
