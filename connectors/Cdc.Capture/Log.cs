using Microsoft.Extensions.Logging;

namespace Cdc.Capture;

/// <summary>The connector's log messages. Event ids: 1xxx lifecycle, 2xxx snapshots and signals, 3xxx faults.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "capture started: source {Source}, slot {Slot}, publication {Publication}, topics {Prefix}.<schema>.<table> ({Format})")]
    public static partial void Started(ILogger logger, string source, string slot, string publication, string prefix, string format);

    [LoggerMessage(1002, LogLevel.Information, "resuming slot {Slot} from its confirmed LSN {Lsn}: no snapshot")]
    public static partial void Resuming(ILogger logger, string slot, string lsn);

    [LoggerMessage(1003, LogLevel.Information, "created slot {Slot} at consistent point {Lsn}")]
    public static partial void SlotCreated(ILogger logger, string slot, string lsn);

    [LoggerMessage(1004, LogLevel.Warning, "slot {Slot} exists but its initial snapshot never completed: dropping it and snapshotting again")]
    public static partial void SnapshotIncomplete(ILogger logger, string slot);

    [LoggerMessage(1005, LogLevel.Information, "streaming changes from slot {Slot}")]
    public static partial void Streaming(ILogger logger, string slot);

    [LoggerMessage(1006, LogLevel.Information, "table {Table}: new shape ({Columns} columns, key {Key})")]
    public static partial void Relation(ILogger logger, string table, int columns, string key);

    [LoggerMessage(1007, LogLevel.Warning, "inactive replication slot {Slot} (database {Database}) retains {RetainedMiB:0.0} MiB of WAL ({RetainedBytes} bytes; warning threshold {ThresholdMiB:0.0} MiB): nothing consumes it, and the server keeps that WAL until the slot is used again or dropped (SELECT pg_drop_replication_slot('{Slot}'))")]
    public static partial void InactiveSlotRetainsWal(ILogger logger, string slot, string database, double retainedMiB, long retainedBytes, double thresholdMiB);

    [LoggerMessage(1008, LogLevel.Warning, "table {Table} is not captured: {Reason}. Writers come first; to capture it give it a primary key (or ALTER TABLE {Table} REPLICA IDENTITY FULL) and the connector adds it within seconds, with a snapshot")]
    public static partial void TableLeftOut(ILogger logger, string table, string reason);

    [LoggerMessage(1009, LogLevel.Warning, "table {Table} (--tables) does not exist; it is captured, with a snapshot, once it is created")]
    public static partial void TableMissing(ILogger logger, string table);

    [LoggerMessage(1010, LogLevel.Warning, "publication {Publication} was FOR ALL TABLES (writers on tables without a replica identity fail); replaced by the list of tables that have one")]
    public static partial void PublicationNarrowed(ILogger logger, string publication);

    [LoggerMessage(1011, LogLevel.Information, "tables joined the captured set: {Tables}; snapshotting them without stopping the stream")]
    public static partial void TablesJoined(ILogger logger, string tables);

    [LoggerMessage(2001, LogLevel.Information, "initial snapshot: {Rows} rows of {Tables} tables sent and acknowledged in {Milliseconds} ms")]
    public static partial void SnapshotDone(ILogger logger, long rows, int tables, long milliseconds);

    [LoggerMessage(2002, LogLevel.Information, "signal {Id}: {Type} {Data}")]
    public static partial void Signal(ILogger logger, string id, string type, string? data);

    [LoggerMessage(2003, LogLevel.Warning, "signal {Id} ignored: {Reason}")]
    public static partial void SignalIgnored(ILogger logger, string id, string reason);

    [LoggerMessage(2004, LogLevel.Debug, "incremental snapshot of {Table}: chunk of {Rows} rows, {Emitted} emitted after dropping {Dropped} keys changed meanwhile")]
    public static partial void ChunkDone(ILogger logger, string table, int rows, int emitted, int dropped);

    [LoggerMessage(2005, LogLevel.Information, "incremental snapshot requested of {Tables} ({Reason})")]
    public static partial void ResnapshotRequested(ILogger logger, string tables, string reason);

    [LoggerMessage(2007, LogLevel.Information, "signal {Id}: incremental snapshot of {Table} folded into the queued request {Queued}: {How}")]
    public static partial void SnapshotCoalesced(ILogger logger, string id, string table, string queued, string how);

    [LoggerMessage(2006, LogLevel.Information, "Kafka signal channel: reading {Topic} partition 0 (group {Group})")]
    public static partial void KafkaSignalChannel(ILogger logger, string topic, string group);

    [LoggerMessage(3009, LogLevel.Warning, "signal {Id} from Kafka waits for PostgreSQL ({Reason})")]
    public static partial void SignalWaiting(ILogger logger, string id, string reason);

    [LoggerMessage(3010, LogLevel.Error, "row of {Table} with key {Key} not sent ({Kind}, {Bytes} bytes): {Reason}; recorded in {Topic}, re-read once that allows")]
    public static partial void RowSkipped(ILogger logger, string table, string key, string kind, string bytes, string reason, string topic);

    [LoggerMessage(3011, LogLevel.Warning, "skipped row of {Table} with key {Key} still cannot be sent ({Kind}: {Reason}): raise --max-record-bytes (and Kafka's limits) or set --decimal-handling-mode string or double")]
    public static partial void SkippedStillPending(ILogger logger, string table, string key, string kind, string reason);

    [LoggerMessage(3015, LogLevel.Warning, "skipped rows in {Topic} partition(s) {Partitions} could not be read within 10 s (Kafka unavailable?): their rows are re-read at the next start")]
    public static partial void SkippedRowsUnread(ILogger logger, string topic, string partitions);

    [LoggerMessage(3001, LogLevel.Warning, "waiting for PostgreSQL ({Reason}); retrying in {DelayMs} ms (attempt {Attempt})")]
    public static partial void WaitingForPostgres(ILogger logger, string reason, long delayMs, int attempt);

    [LoggerMessage(3002, LogLevel.Warning, "waiting for Kafka: {Reason} (records are retried; nothing is confirmed to PostgreSQL until they are acknowledged)")]
    public static partial void WaitingForKafka(ILogger logger, string reason);

    [LoggerMessage(3003, LogLevel.Error, "Kafka fatal error: {Reason}; the session restarts from the slot's confirmed LSN")]
    public static partial void KafkaFatal(ILogger logger, string reason);

    [LoggerMessage(3004, LogLevel.Warning, "kafka {Facility}: {Message}")]
    public static partial void KafkaLog(ILogger logger, string facility, string message);

    [LoggerMessage(3005, LogLevel.Warning, "{Count} transactions still wait for Kafka acknowledgements, the oldest committed {Seconds:0.0} s ago ({Records} of its records unacknowledged)")]
    public static partial void AcksPending(ILogger logger, int count, double seconds, int records);

    [LoggerMessage(3016, LogLevel.Warning, "the oldest transaction in flight, committed {Seconds:0.0} s ago, is still being read from the slot ({Records} records so far), not waiting for Kafka: its BEGIN arrived {ReadLateSeconds:0.0} s after its commit (the server's walsender decodes the WAL of every database in order; a busy database on the same server, or the initial snapshot, delays it)")]
    public static partial void StillReading(ILogger logger, double seconds, double readLateSeconds, int records);

    [LoggerMessage(3007, LogLevel.Warning, "heartbeat tick failed ({Reason}); trying again next second")]
    public static partial void TickFailed(ILogger logger, string reason);

    [LoggerMessage(3008, LogLevel.Warning, "cannot list the server's replication slots ({Reason}): inactive slots holding WAL go unreported")]
    public static partial void InactiveSlotsUnreadable(ILogger logger, string reason);

    [LoggerMessage(3006, LogLevel.Information, "PostgreSQL is back after {Attempts} attempts")]
    public static partial void Recovered(ILogger logger, int attempts);

    [LoggerMessage(3012, LogLevel.Warning, "table {Table}: schema change ({Reason}): rows already sent may be wrong in the stores, re-snapshotting the table")]
    public static partial void SchemaChanged(ILogger logger, string table, string reason);

    [LoggerMessage(3013, LogLevel.Warning, "table {Old} was renamed to {New}: its topic {Topic} gets no more changes, and the stores keep their table of it until an operator drops it")]
    public static partial void TableRenamed(ILogger logger, string old, string @new, string topic);

    [LoggerMessage(3014, LogLevel.Warning, "table {Table}: schema change ({Reason}), but the table is not in the captured set (--tables): not re-snapshotted")]
    public static partial void SchemaChangeNotCaptured(ILogger logger, string table, string reason);
}
