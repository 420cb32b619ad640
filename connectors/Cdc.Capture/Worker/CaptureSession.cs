using Cdc.Capture.Kafka;
using Cdc.Capture.Signals;
using Cdc.Capture.Snapshots;
using Cdc.Capture.Source;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace Cdc.Capture.Worker;

/// <summary>
/// One replication connection's life: set up the slot (snapshotting when it is new), stream until a fault or the
/// stop, confirming to PostgreSQL only what Kafka acknowledged. Any fault ends the session; the worker starts a new
/// one, which resumes from the slot's confirmed LSN (re-sending what was in flight: the sink's guard absorbs it).
/// </summary>
internal sealed class CaptureSession(CaptureContext context)
{
    private long _confirmed;

    /// <param name="onStreaming">Called once the slot is ready and streaming starts (after any initial snapshot).</param>
    /// <param name="cancellationToken">Stops the session.</param>
    public async Task RunAsync(Action onStreaming, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var (before, after) = await context.Setup.EnsureAsync(cancellationToken);
        await context.InactiveSlots.LookAsync(cancellationToken);
        await using var replication = new LogicalReplicationConnection(ReplicationConnectionString(options.Source!));
        replication.WalReceiverStatusInterval = TimeSpan.FromSeconds(1);
        replication.WalReceiverTimeout = TimeSpan.FromSeconds(30);
        await replication.Open(cancellationToken);
        using var producer = new EventProducer(options, context.Logger);
        var ledger = new DeliveryLedger(context.Time);
        ledger.Confirmable += lsn => Confirm(replication, lsn);
        ledger.UnitDone += unit => OnUnitDone(producer, unit);
        var skipped = new SkippedRows(context, producer);
        ledger.Skipped = skipped;
        var emitter = new RecordEmitter(context.Encoder, producer, context.Metrics, skipped, options.EffectiveMaxRecordBytes);
        var (slot, lastCommitLsn, existing) = await PrepareSlotAsync(replication, emitter, ledger, after, cancellationToken);
        var resnapshots = new Resnapshots(context);
        var coverage = new TableCoverage(context, resnapshots);
        if (existing is not null)
        {
            await coverage.CoverAsync(before, after, existing.Covered, cancellationToken);
        }

        await skipped.HealPendingAsync(resnapshots, cancellationToken);
        context.Metrics.RowsSkippedPending = skipped.Pending;

        var signals = new SignalHandler(context, emitter);
        var catalog = new RelationCatalog(context.Source, options.TopicPrefix, options.ValueHandling);
        await catalog.PrimeAsync(options.Publication, cancellationToken);
        var stream = new ChangeStream(context, catalog, emitter, ledger, signals, resnapshots, lastCommitLsn);
        await stream.CompareWithSavedAsync(existing?.Shapes, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = new Heartbeats(context, emitter, ledger, () => !stream.InTransaction, replication, Confirm).RunAsync(stop.Token);
        var tables = coverage.WatchAsync(stop.Token);
        try
        {
            Log.Streaming(context.Logger, options.Slot);
            onStreaming();
            var replicationOptions = new PgOutputReplicationOptions(options.Publication, PgOutputProtocolVersion.V1);
            await foreach (var message in replication.StartReplication(slot, replicationOptions, cancellationToken))
            {
                await stream.HandleAsync(message, cancellationToken);
                if (ledger.Failure is { } failure)
                {
                    throw new Confluent.Kafka.KafkaException(failure);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await tables.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <returns>The slot, its position, and its earlier state when it existed (null when it was created now).</returns>
    private async Task<(PgOutputReplicationSlot Slot, long LastCommitLsn, SlotState? Existing)> PrepareSlotAsync(
        LogicalReplicationConnection replication, RecordEmitter emitter, DeliveryLedger ledger, HashSet<string> published, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var state = await context.Setup.SlotAsync(cancellationToken);
        if (state is { ActivePid: { } holder })
        {
            // A killed predecessor's walsender can hold the slot until PostgreSQL notices the dead socket.
            await context.Setup.TerminateHolderAsync(holder, cancellationToken);
            await Task.Delay(200, cancellationToken);
        }

        if (state is { SnapshotDone: true } || (state is not null && options.SkipInitialSnapshot))
        {
            Log.Resuming(context.Logger, options.Slot, new NpgsqlLogSequenceNumber((ulong)state.ConfirmedFlushLsn).ToString());
            _confirmed = state.ConfirmedFlushLsn;
            return (new PgOutputReplicationSlot(options.Slot), state.ConfirmedFlushLsn, state);
        }

        if (state is not null)
        {
            Log.SnapshotIncomplete(context.Logger, options.Slot);
            await replication.DropReplicationSlot(options.Slot, wait: true, cancellationToken);
        }

        await context.Setup.ClearSnapshotDoneAsync(cancellationToken);
        var created = await replication.CreatePgOutputReplicationSlot(
            options.Slot,
            temporarySlot: false,
            slotSnapshotInitMode: options.SkipInitialSnapshot ? LogicalSlotSnapshotInitMode.NoExport : LogicalSlotSnapshotInitMode.Export,
            cancellationToken: cancellationToken);
        var consistentPoint = (long)(ulong)created.ConsistentPoint;
        Log.SlotCreated(context.Logger, options.Slot, created.ConsistentPoint.ToString());
        if (!options.SkipInitialSnapshot)
        {
            // The exported snapshot lives until the next command on the replication connection: read it first.
            var unit = ledger.Open();
            await new InitialSnapshot(context, emitter).RunAsync(created.SnapshotName!, consistentPoint, unit, cancellationToken);
            unit.Seal(null);
            await ledger.WaitForAllAsync(cancellationToken);
        }

        await context.Setup.MarkSnapshotDoneAsync(published, cancellationToken);
        _confirmed = consistentPoint;
        return (created, consistentPoint, null);
    }

    private void Confirm(ReplicationConnection replication, long lsn)
    {
        // Monotonic: an idle confirmation from a keepalive and an acknowledged commit may race.
        long current;
        do
        {
            current = Interlocked.Read(ref _confirmed);
            if (lsn <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _confirmed, lsn, current) != current);
        replication.SetReplicationStatus(new NpgsqlLogSequenceNumber((ulong)lsn));
        context.Metrics.ConfirmedLsn = lsn;
    }

    private void OnUnitDone(EventProducer producer, DeliveryUnit unit)
    {
        producer.MarkHealthy();
        if (unit.ConfirmLsn is not null)
        {
            context.Metrics.Acknowledged(Math.Max(0, (context.Time.GetUtcNow() - unit.CommitTime).TotalSeconds), unit.Count);
        }
    }

    /// <summary>
    /// Both the stream and the snapshot read PostgreSQL's text output; pin the settings that shape it so the two agree
    /// (ISO dates, full float precision, hex bytea, UTC offsets).
    /// </summary>
    public static string ReplicationConnectionString(string source) => WithTextSettings(source);

    public static string WithTextSettings(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Options = "-c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex -c TimeZone=UTC",
        };
        return builder.ConnectionString;
    }
}
