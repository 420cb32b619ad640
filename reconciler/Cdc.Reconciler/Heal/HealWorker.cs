using Cdc.Store.Bookkeeping;
using Npgsql;

namespace Cdc.Reconciler.Heal;

/// <summary>
/// Finishes the heals sinks request for gaps in their stream (docs/design.md#no-silent-loss). A gap's table gets a
/// reconcile run of its own, with <c>--repair resnapshot</c>: rows the primary deleted while the gap was open are removed
/// by the guarded delete (a re-snapshot only re-reads rows that exist), rows still missing or different are re-streamed
/// through the connector, and the table is verified; the run, with the gaps it heals as its reason, is the audit trail.
/// A heal whose run could not reach a consistency point (the pipeline lags) is tried again later; one that left rows
/// different is marked failed (the sink's <c>cdc_sink_heals_open</c> counts it, an alert fires).
/// Runs inside <c>cdc reconcile --every</c>, and inside <c>cdc sink --primary</c> and the demo.
/// </summary>
public sealed class HealWorker(ReconcileOptions options, TextWriter log, TimeProvider? time = null)
{
    /// <summary>How long after a heal was signalled its re-snapshot is left to run before the table is compared.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken stopping)
    {
        var clock = time ?? TimeProvider.System;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await HealOnceAsync(stopping);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                await log.WriteLineAsync($"heal: {e.Message}; trying again");
            }

            await Task.Delay(Interval, clock, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <returns>Heals finished (healed or failed) in this round.</returns>
    public async Task<int> HealOnceAsync(CancellationToken cancellationToken)
    {
        var sink = ReconcileConfiguration.LoadSink(options);
        var metadata = new MetadataTables(sink.MetadataSchema);
        var heals = new HealRequests(metadata);
        await using var store = ReconcileJob.OpenDataSource(options.Store!);
        var claimed = await ClaimAsync(store, heals, metadata, sink.Kafka.GroupId, cancellationToken);
        var finished = 0;
        foreach (var table in claimed.GroupBy(h => h.SourceTable))
        {
            var ids = table.Select(h => h.Id).ToList();
            var reason = $"heal of {ids.Count} gap(s) in the stream: " + string.Join("; ", table.Select(h => $"#{h.Id} {h.Topic}[{h.Partition}] offsets [{h.FromOffset}, {h.ToOffset?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}] ({h.Reason})"));
            await log.WriteLineAsync($"heal: {table.Key}: {reason}");
            var run = new ReconcileOptions
            {
                Primary = options.Primary,
                Store = options.Store,
                Tables = [table.Key],
                Repair = RepairMode.Resnapshot,
                SinkConfig = options.SinkConfig,
                Sink = options.Sink,
                TopicPrefix = table.First().TopicPrefix,
                BootstrapServers = options.BootstrapServers,
                Slot = options.Slot,
                SignalTable = options.SignalTable,
                Wait = options.Wait,
                Grace = options.Grace,
                VerifyTimeout = options.VerifyTimeout,
                Reason = reason,
            };
            var result = await new ReconcileJob(run, log, time).RunAsync(cancellationToken);
            await using var connection = await store.OpenConnectionAsync(cancellationToken);
            if (result.Lagging)
            {
                await heals.MarkAsync(connection, null, ids, HealRequests.Signalled, $"run {result.RunId}: the pipeline lags ({result.Consistency?.Detail}); trying again", result.RunId, cancellationToken);
                continue;
            }

            var unrepaired = result.Tables.Sum(t => t.Unrepaired);
            var healed = result.State == RunState.Completed && unrepaired == 0;
            var detail = healed
                ? $"run {result.RunId}: {result.Drift} row(s) differed after the re-snapshot and were repaired ({result.Tables.Sum(t => t.Extra)} deleted on the primary meanwhile)"
                : $"run {result.RunId}: {Names.Of(result.State)}, {unrepaired} row(s) still differ{(result.Error is null ? "" : ": " + result.Error)}";
            await heals.MarkAsync(connection, null, ids, healed ? HealRequests.Healed : HealRequests.Failed, detail, result.RunId, cancellationToken);
            await log.WriteLineAsync($"heal: {table.Key}: {(healed ? "healed" : "failed")}: {detail}");
            finished += ids.Count;
        }

        return finished;
    }

    /// <summary>Signalled heals whose re-snapshot had time to run, and requested ones no sink signalled in time, locked and marked healing.</summary>
    private async Task<List<HealRequest>> ClaimAsync(NpgsqlDataSource store, HealRequests heals, MetadataTables metadata, string group, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = metadata.Heals });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return [];
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = (await heals.ClaimAsync(connection, transaction, group, [HealRequests.Requested, HealRequests.Signalled], TimeSpan.Zero, cancellationToken))
            .ToList();
        var due = await DueAsync(connection, transaction, metadata, claimed.Select(h => h.Id).ToArray(), cancellationToken);
        claimed = [.. claimed.Where(h => due.Contains(h.Id))];
        if (claimed.Count > 0)
        {
            await heals.MarkAsync(connection, transaction, claimed.Select(h => h.Id), HealRequests.Healing, "comparing the table", null, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task<HashSet<long>> DueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MetadataTables metadata, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT id FROM {metadata.Heals}
            WHERE id = ANY($1) AND ((state = '{HealRequests.Signalled}' AND signalled_at <= now() - $2::interval)
                                 OR (state = '{HealRequests.Requested}' AND detected_at <= now() - $3::interval))
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = Settle });
        command.Parameters.Add(new NpgsqlParameter { Value = Settle * 5 });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new HashSet<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(reader.GetInt64(0));
        }

        return due;
    }
}
