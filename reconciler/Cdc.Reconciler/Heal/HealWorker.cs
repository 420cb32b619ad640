using Cdc.Store.Bookkeeping;
using Npgsql;

namespace Cdc.Reconciler.Heal;

/// <summary>
/// Finishes the heals sinks request for gaps in their stream (docs/design.md#no-silent-loss). A gap's table gets a
/// reconcile run of its own, with <c>--repair resnapshot</c>: rows the primary deleted while the gap was open are removed
/// by the guarded delete (a re-snapshot only re-reads rows that exist), rows still missing or different are re-streamed
/// through the connector, and the table is verified; the run, with the gaps it heals as its reason, is the audit trail.
/// A heal is only ever finished by a run that verified the table: one whose run could not reach a consistency point
/// (the pipeline lags) or left rows different (the live stream moved them meanwhile) is tried again after
/// <see cref="RetryAfter"/>, and one interrupted (the store or the primary restarted, the worker killed) stays claimable,
/// since its claim is held in a store transaction that ends with the run. Until then the sink's
/// <c>cdc_sink_heals_open</c> counts it and CdcSinkHealNotFinished fires if it lasts.
/// Runs inside <c>cdc reconcile --every</c>, and inside <c>cdc sink --primary</c> and the demo.
/// </summary>
public sealed class HealWorker(ReconcileOptions options, TextWriter log, TimeProvider? time = null)
{
    /// <summary>How long after a heal was signalled its re-snapshot is left to run before the table is compared.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after a heal's run left rows different it is run again (heals are paced, never given up).</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stopping)
    {
        var clock = time ?? TimeProvider.System;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await HealOnceAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // The claim's transaction rolled back with it: the heal is still open and is run again.
                await log.WriteLineAsync($"heal: interrupted ({e.GetType().Name}: {e.Message}); trying again in {Interval.TotalSeconds:0} s");
            }

            await Task.Delay(Interval, clock, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <returns>Heals healed in this round.</returns>
    public async Task<int> HealOnceAsync(CancellationToken cancellationToken)
    {
        var sink = ReconcileConfiguration.LoadSink(options);
        var metadata = new MetadataTables(sink.MetadataSchema);
        var heals = new HealRequests(metadata);
        await using var store = ReconcileJob.OpenDataSource(options.Store!);
        var healed = 0;
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            // One table at a time, its heals locked (and so claimable by no other worker) until its run is recorded:
            // an interrupted run rolls the claim back and leaves the heals open.
            await using var connection = await store.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var claimed = await ClaimAsync(connection, transaction, heals, metadata, sink.Kafka.GroupId, done, cancellationToken);
            if (claimed.Count == 0)
            {
                return healed;
            }

            var table = claimed[0].SourceTable;
            done.Add(table);
            var ids = claimed.Select(h => h.Id).ToList();
            var reason = $"heal of {ids.Count} gap(s) in the stream: " + string.Join("; ", claimed.Select(h => $"#{h.Id} {h.Topic}[{h.Partition}] offsets [{h.FromOffset}, {h.ToOffset?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}] ({h.Reason})"));
            await log.WriteLineAsync($"heal: {table}: {reason}");
            var run = new ReconcileOptions
            {
                Primary = options.Primary,
                Store = options.Store,
                Tables = [table],
                Repair = RepairMode.Resnapshot,
                SinkConfig = options.SinkConfig,
                Sink = options.Sink,
                TopicPrefix = claimed[0].TopicPrefix,
                BootstrapServers = options.BootstrapServers,
                Slot = options.Slot,
                SignalTable = options.SignalTable,
                Wait = options.Wait,
                Grace = options.Grace,
                VerifyTimeout = options.VerifyTimeout,
                Parallel = options.Parallel,
                Reason = reason,
            };
            var result = await new ReconcileJob(run, log, time).RunAsync(cancellationToken);
            if (result.Lagging)
            {
                await heals.MarkAsync(connection, transaction, ids, HealRequests.Signalled, $"run {result.RunId}: the pipeline lags ({result.Consistency?.Detail}); trying again", result.RunId, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                continue;
            }

            var unrepaired = result.Tables.Sum(t => t.Unrepaired);
            var verified = result.State == RunState.Completed && unrepaired == 0;
            var detail = verified
                ? $"run {result.RunId}: {result.Drift} row(s) differed after the re-snapshot and were repaired ({result.Tables.Sum(t => t.Extra)} deleted on the primary meanwhile)"
                : $"run {result.RunId}: {Names.Of(result.State)}, {unrepaired} row(s) still differ{(result.Error is null ? "" : ": " + result.Error)}; trying again in {RetryAfter.TotalSeconds:0} s";
            await heals.MarkAsync(connection, transaction, ids, verified ? HealRequests.Healed : HealRequests.Failed, detail, result.RunId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await log.WriteLineAsync($"heal: {table}: {(verified ? "healed" : "not healed yet")}: {detail}");
            healed += verified ? ids.Count : 0;
        }
    }

    /// <summary>
    /// The due heals of one table (not in <paramref name="done"/> this round), locked in <paramref name="transaction"/>:
    /// signalled ones whose re-snapshot had time to run, requested ones no sink signalled in time, failed ones due for
    /// another try, and any left <c>healing</c> by an earlier version whose worker stopped mid-run. Only those are locked,
    /// for the whole run: a lock on a heal not due yet would keep the sink from signalling it (SKIP LOCKED) until the run
    /// ended, and a second gap of a table would wait minutes for its re-snapshot behind heals of other tables.
    /// </summary>
    internal async Task<List<HealRequest>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, HealRequests heals, MetadataTables metadata, string group, HashSet<string> done, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = metadata.Heals });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return [];
            }
        }

        while (true)
        {
            var (table, ids) = await DueAsync(connection, transaction, metadata, group, done, cancellationToken);
            if (table is null)
            {
                return [];
            }

            var claimed = await heals.ClaimAsync(connection, transaction, group, [HealRequests.Requested, HealRequests.Signalled, HealRequests.Failed, HealRequests.Healing], TimeSpan.Zero, cancellationToken, ids);
            if (claimed.Count > 0)
            {
                return claimed;
            }

            // Another worker holds them: the next table.
            done.Add(table);
        }
    }

    /// <summary>The table of the oldest due heal not in <paramref name="done"/>, and its due heals (read without locking).</summary>
    private async Task<(string? Table, long[] Ids)> DueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MetadataTables metadata, string group, HashSet<string> done, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH due AS (
                SELECT id, source_table FROM {metadata.Heals}
                WHERE consumer_group = $1 AND NOT (source_table = ANY($2))
                  AND ((state = '{HealRequests.Signalled}' AND signalled_at <= now() - $3::interval)
                       OR (state = '{HealRequests.Requested}' AND detected_at <= now() - $4::interval)
                       OR (state = '{HealRequests.Failed}' AND healed_at <= now() - $5::interval)
                       OR state = '{HealRequests.Healing}'))
            SELECT source_table, id FROM due
            WHERE source_table = (SELECT source_table FROM due ORDER BY id LIMIT 1)
            ORDER BY id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = group });
        command.Parameters.Add(new NpgsqlParameter { Value = done.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = Settle });
        command.Parameters.Add(new NpgsqlParameter { Value = Settle * 5 });
        command.Parameters.Add(new NpgsqlParameter { Value = RetryAfter });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? table = null;
        var ids = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            table = reader.GetString(0);
            ids.Add(reader.GetInt64(1));
        }

        return (table, [.. ids]);
    }
}
