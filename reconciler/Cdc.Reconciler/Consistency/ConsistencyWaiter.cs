using System.Globalization;
using Cdc.Common.Kafka;
using Cdc.Sink.Configuration;
using Cdc.Store.Bookkeeping;
using Npgsql;

namespace Cdc.Reconciler.Consistency;

/// <summary>
/// Waits until the store has applied everything the primary committed before the check started
/// (docs/design.md#invariant-10-drift-is-what-persists). The sink commits <c>cdc.offsets</c> with the rows, so the
/// store itself says how far it got:
/// <list type="bullet">
/// <item>With Kafka (<c>--bootstrap-servers</c> or the sink configuration's) and <c>--slot</c>: the slot's confirmed LSN
/// reaches L (every change before L is in Kafka), then each partition's stored next offset reaches the high watermark
/// read after that. Sound, also for idle tables whose partitions never move.</item>
/// <item>Without Kafka: some partition's applied commit LSN reaches L, or the offsets stop moving for
/// <see cref="ReconcileOptions.Idle"/> (and the slot, if named, confirmed L). A stopped sink looks idle here: the grace
/// recheck then still sees its backlog as drift. Prefer the Kafka mode.</item>
/// </list>
/// </summary>
internal sealed class ConsistencyWaiter(NpgsqlDataSource primary, NpgsqlDataSource store, SinkOptions sink, ReconcileOptions options, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly MetadataTables _metadata = new(sink.MetadataSchema);
    private (long? Applied, string State)? _seen;
    private DateTimeOffset _seenSince;

    /// <summary>Until the store has applied everything the primary committed before now (<see cref="PositionAsync"/>).</summary>
    public async Task<ConsistencyPoint> WaitAsync(CancellationToken cancellationToken) =>
        await WaitAsync(await PositionAsync(cancellationToken), cancellationToken);

    /// <summary>Until the store has applied everything the primary committed before <paramref name="lsn"/>.</summary>
    public async Task<ConsistencyPoint> WaitAsync(long lsn, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Wait;
        if (options.Slot is not null)
        {
            var slot = await WaitSlotAsync(lsn, deadline, cancellationToken);
            if (slot is not null)
            {
                return new ConsistencyPoint(lsn, false, slot);
            }
        }

        var kafka = options.BootstrapServers ?? sink.Kafka.BootstrapServers;
        return kafka is not null && options.Slot is not null
            ? await WaitKafkaAsync(lsn, kafka, deadline, cancellationToken)
            : await WaitOffsetsAsync(lsn, deadline, cancellationToken);
    }

    /// <summary>
    /// The primary's WAL insert position (<see cref="WalPosition.EndOfInserted"/>): past every change a snapshot taken
    /// before it sees. Not the write position (<c>pg_current_wal_lsn()</c>): a commit with <c>synchronous_commit=off</c>
    /// is visible before its WAL is written.
    /// </summary>
    public async Task<long> PositionAsync(CancellationToken cancellationToken)
    {
        await using var command = primary.CreateCommand(
            "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint, current_setting('wal_block_size')::bigint, pg_size_bytes(current_setting('wal_segment_size'))");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return WalPosition.EndOfInserted(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Bytes of WAL between the primary's current LSN and the store's newest applied commit (throttling).</summary>
    public async Task<long> LagBytesAsync(CancellationToken cancellationToken)
    {
        var current = await ScalarAsync(primary, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint", cancellationToken) ?? 0;
        var (applied, _) = await OffsetsStateAsync(cancellationToken);
        return applied is null ? 0 : Math.Max(0, current - applied.Value);
    }

    /// <returns>Null when the slot confirmed <paramref name="lsn"/>, else why not.</returns>
    private async Task<string?> WaitSlotAsync(long lsn, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = primary.CreateCommand("SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = options.Slot });
            var result = await command.ExecuteScalarAsync(cancellationToken);
            if (result is null)
            {
                throw new InvalidOperationException($"replication slot '{options.Slot}' does not exist on the primary");
            }

            var confirmed = result is DBNull ? 0 : (long)result;
            if (confirmed >= lsn)
            {
                return null;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return $"lagging by {Bytes(lsn - confirmed)} of WAL at the source: slot {options.Slot} confirmed {ConsistencyPoint.FormatLsn(confirmed)}, primary at {ConsistencyPoint.FormatLsn(lsn)}";
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    private async Task<ConsistencyPoint> WaitKafkaAsync(long lsn, string bootstrapServers, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var watermarks = new TopicWatermarks(bootstrapServers);
        var stored = await StoredOffsetsAsync(cancellationToken);
        if (stored.Count == 0 && sink.Kafka.Topics.Count == 0)
        {
            // Nothing to compare with the high watermarks: "caught up" would be a claim about no partition at all.
            return new ConsistencyPoint(lsn, false, $"not known to be caught up: the store holds no offsets of consumer group {sink.Kafka.GroupId} and the sink configuration names no topics (is a sink of this group running against this store?)");
        }

        var high = watermarks.High(stored.Keys.Select(k => k.Topic).Concat(sink.Kafka.Topics));
        while (true)
        {
            var behind = high.Sum(h => Math.Max(0, h.Value - stored.GetValueOrDefault(h.Key)));
            if (behind == 0)
            {
                return new ConsistencyPoint(lsn, true, $"store applied every message up to the high watermarks of {high.Count} partitions read after slot {options.Slot} confirmed {ConsistencyPoint.FormatLsn(lsn)}");
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new ConsistencyPoint(lsn, false, $"lagging by {behind} messages: the store has not applied the sink's topics up to their high watermarks");
            }

            await Task.Delay(Poll, time, cancellationToken);
            stored = await StoredOffsetsAsync(cancellationToken);
        }
    }

    private async Task<ConsistencyPoint> WaitOffsetsAsync(long lsn, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var last = await OffsetsStateAsync(cancellationToken);
        var stableSince = Observe(last);
        while (true)
        {
            if (last.Applied >= lsn)
            {
                return new ConsistencyPoint(lsn, true, $"store applied commit {ConsistencyPoint.FormatLsn(last.Applied.Value)} >= {ConsistencyPoint.FormatLsn(lsn)}");
            }

            if (time.GetUtcNow() - stableSince >= options.Idle)
            {
                return new ConsistencyPoint(lsn, true, $"store offsets idle for {ReconcileConfiguration.Describe(options.Idle)} (no Kafka access: lag is judged by the grace recheck)");
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new ConsistencyPoint(lsn, false, $"lagging by {Bytes(lsn - (last.Applied ?? 0))} of WAL: store applied commit {ConsistencyPoint.FormatLsn(last.Applied ?? 0)}, primary at {ConsistencyPoint.FormatLsn(lsn)}");
            }

            await Task.Delay(Poll, time, cancellationToken);
            var now = await OffsetsStateAsync(cancellationToken);
            if (now != last)
            {
                stableSince = Observe(now);
                last = now;
            }
        }
    }

    /// <summary>
    /// Since when the offsets have been seen as <paramref name="state"/>, across this run's waits: the settled recheck
    /// waits once per table and attempt, and offsets idle at one wait are not waited on for another full
    /// <see cref="ReconcileOptions.Idle"/> at the next (the applied commit only grows, so a state seen again unchanged
    /// was unchanged in between).
    /// </summary>
    private DateTimeOffset Observe((long? Applied, string State) state)
    {
        if (_seen != state)
        {
            _seen = state;
            _seenSince = time.GetUtcNow();
        }

        return _seenSince;
    }

    private async Task<(long? Applied, string State)> OffsetsStateAsync(CancellationToken cancellationToken)
    {
        if (!await OffsetsExistAsync(cancellationToken))
        {
            return (null, "");
        }

        await using var command = store.CreateCommand($"SELECT max(commit_lsn), coalesce(sum(next_offset), 0)::text FROM {_metadata.Offsets} WHERE consumer_group = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sink.Kafka.GroupId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetValue(0) as long?, reader.GetString(1));
    }

    private async Task<Dictionary<(string Topic, int Partition), long>> StoredOffsetsAsync(CancellationToken cancellationToken) =>
        await OffsetsExistAsync(cancellationToken)
            ? await Task.Run(() => _metadata.ReadOffsets(store, sink.Kafka.GroupId), cancellationToken)
            : [];

    private async Task<bool> OffsetsExistAsync(CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = _metadata.Offsets });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<long?> ScalarAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(sql);
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : null;
    }

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
