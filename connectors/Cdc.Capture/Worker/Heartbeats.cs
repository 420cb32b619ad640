using Cdc.Capture.Kafka;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Npgsql.Replication;
using NpgsqlTypes;

namespace Cdc.Capture.Worker;

/// <summary>
/// The session's clock: Debezium heartbeat records (<c>__debezium-heartbeat.&lt;prefix&gt;</c>, key
/// <c>{serverName}</c>, value <c>{ts_ms}</c>) every <c>HeartbeatInterval</c>; once a second, when no transaction is
/// open and Kafka acknowledged everything, the server's WAL position from its keepalives is confirmed, so an idle
/// slot (or one whose tables see no writes) holds no WAL; the slot's retained WAL, and the server's inactive slots, are
/// polled every 5 s for the metrics.
/// </summary>
internal sealed class Heartbeats(
    CaptureContext context, RecordEmitter emitter, DeliveryLedger ledger, Func<bool> isBetweenTransactions, ReplicationConnection replication, Action<ReplicationConnection, long> confirm)
{
    public const string HeartbeatLsnHeader = Cdc.Schemas.Transactions.TransactionMetadata.HeartbeatLsnHeader;

    private static readonly ConnectSchema KeySchema = new()
    {
        Type = ConnectType.Struct,
        Name = "io.debezium.connector.common.ServerNameKey",
        Optional = false,
        Fields = [new ConnectField("serverName", new ConnectSchema { Type = ConnectType.String, Optional = false })],
    };

    private static readonly ConnectSchema ValueSchema = new()
    {
        Type = ConnectType.Struct,
        Name = "io.debezium.connector.common.Heartbeat",
        Optional = false,
        Fields = [new ConnectField("ts_ms", new ConnectSchema { Type = ConnectType.Int64, Optional = false })],
    };

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastHeartbeat = context.Time.GetTimestamp();
        var lastPoll = 0L;
        var lastWarning = context.Time.GetTimestamp();
        var interval = context.Options.HeartbeatInterval;
        using var timer = new PeriodicTimer(interval > TimeSpan.Zero && interval < TimeSpan.FromSeconds(1) ? interval : TimeSpan.FromSeconds(1), context.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                (lastHeartbeat, lastPoll) = await TickAsync(lastHeartbeat, lastPoll, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The stream notices a broken connection itself; a failed tick must not stop later ones.
                Log.TickFailed(context.Logger, e.Message);
            }

            UpdateLag(ref lastWarning);
        }
    }

    private async Task<(long LastHeartbeat, long LastPoll)> TickAsync(long lastHeartbeat, long lastPoll, CancellationToken cancellationToken)
    {
        var options = context.Options;
        // The confirmed position reaches the server with Npgsql's own status update (every WalReceiverStatusInterval,
        // 1 s). Not sent from here: once the stream has failed, ReplicationConnection.SendStatusUpdate dereferences the
        // broken connection's connector and feedback timer and throws a NullReferenceException.
        var idleAt = ConfirmIdle();
        if (options.HeartbeatInterval > TimeSpan.Zero && context.Time.GetElapsedTime(lastHeartbeat) >= options.HeartbeatInterval)
        {
            lastHeartbeat = context.Time.GetTimestamp();
            await EmitHeartbeatAsync(idleAt, cancellationToken);
        }

        if (lastPoll == 0 || context.Time.GetElapsedTime(lastPoll) >= TimeSpan.FromSeconds(5))
        {
            lastPoll = context.Time.GetTimestamp();
            context.Metrics.RetainedWalBytes = await context.Setup.RetainedWalBytesAsync(cancellationToken);
            await context.InactiveSlots.LookAsync(cancellationToken);
        }

        return (lastHeartbeat, lastPoll);
    }

    /// <returns>The position confirmed: every transaction committed before it was acknowledged by Kafka; null when busy.</returns>
    private long? ConfirmIdle()
    {
        // Read the position before checking idleness: a keepalive read after the check could only be newer, and a
        // transaction that began meanwhile starts after the position read here (its commit is re-sent on restart).
        var received = (long)(ulong)replication.LastReceivedLsn;
        if (received > 0 && isBetweenTransactions() && ledger.InFlight == 0 && ledger.Failure is null)
        {
            confirm(replication, received);
            return received;
        }

        return null;
    }

    /// <summary>
    /// Debezium's heartbeat record; when idle, header <c>cdc.lsn</c> carries the position (decimal) up to which every
    /// transaction's records, END included, were acknowledged before this record was produced: a sink reading it
    /// knows nothing committed at or below it is still coming (the freshness barrier on an idle primary).
    /// </summary>
    private async Task EmitHeartbeatAsync(long? idleAt, CancellationToken cancellationToken)
    {
        var topic = context.Options.HeartbeatTopic;
        var key = await emitter.Encoder.EncodeStructAsync(topic, true, KeySchema, new RowImage([new Column("serverName", context.Options.TopicPrefix, KeySchema.Fields[0].Schema)]), cancellationToken);
        var now = context.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var value = await emitter.Encoder.EncodeStructAsync(topic, false, ValueSchema, new RowImage([new Column("ts_ms", now, ValueSchema.Fields[0].Schema)]), cancellationToken);
        var headers = idleAt is { } lsn ? new Confluent.Kafka.Headers { { HeartbeatLsnHeader, System.Text.Encoding.ASCII.GetBytes(lsn.ToString(System.Globalization.CultureInfo.InvariantCulture)) } } : null;
        var unit = ledger.Open();
        try
        {
            await emitter.Producer.ProduceAsync(topic, key, value, unit, cancellationToken, headers: headers);
        }
        finally
        {
            // Sealed also when the produce failed (the tick is logged and retried): an open unit would hold every later
            // one in the ledger, and the slot would never confirm again.
            unit.Seal(null);
        }
        context.Metrics.Heartbeats.Add(1);
    }

    private void UpdateLag(ref long lastWarning)
    {
        if (ledger.Oldest is not { } oldest)
        {
            return;
        }

        var waiting = (context.Time.GetUtcNow() - oldest.CommitTime).TotalSeconds;
        context.Metrics.LagSeconds = Math.Max(context.Metrics.LagSeconds, waiting);
        if (waiting > 10 && context.Time.GetElapsedTime(lastWarning) >= TimeSpan.FromSeconds(10))
        {
            lastWarning = context.Time.GetTimestamp();
            // Only a sealed unit (its COMMIT read, every record handed to the producer) waits for Kafka. An open one is
            // still being read from the slot; its BEGIN can arrive long after the commit, since the walsender decodes
            // the WAL of every database on the server in order (issue 17: 23 s behind another database's bulk load).
            if (oldest.IsSealed)
            {
                Log.AcksPending(context.Logger, ledger.InFlight, waiting, oldest.Outstanding);
            }
            else
            {
                Log.StillReading(context.Logger, waiting, (oldest.OpenedAt - oldest.CommitTime).TotalSeconds, oldest.Count);
            }
        }
    }
}
