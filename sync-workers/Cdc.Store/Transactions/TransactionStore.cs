using Cdc.Store.Bookkeeping;
using Npgsql;
using NpgsqlTypes;

namespace Cdc.Store.Transactions;

/// <summary>
/// One subsystem's transaction tracking in its store (tables <see cref="MetadataTables.Transactions"/>,
/// <see cref="MetadataTables.TransactionEvents"/>, <see cref="MetadataTables.TransactionCounts"/>,
/// <see cref="MetadataTables.TransactionProgress"/>): the sink's batches add their counts and dead-lettered events in
/// their own store transaction, so a transaction's progress is exact and whole however many
/// sink instances share the subsystem; any instance may evaluate states and the watermark.
/// </summary>
public sealed class TransactionStore(MetadataTables tables, string consumerGroup)
{
    private const string Open = $"('{TransactionStates.Pending}', '{TransactionStates.Processing}')";

    public string ConsumerGroup => consumerGroup;

    /// <summary>
    /// The batch's finished transaction events, to run in its store transaction before its offsets are stored. An event
    /// whose record is at or below the offset its partition already stored (a batch applied twice by two instances
    /// during a rebalance) was counted by the batch that stored it, and is not counted again: the first command makes
    /// sure every partition has an offset row the second can lock and read (this batch's own first offset for a
    /// partition never stored, moved on by the batch's offsets). Applied events are counted per transaction; a
    /// dead-lettered one is a row with its key (first finish wins), which a replay applying it later turns applied.
    /// </summary>
    /// <param name="topicIds">Each topic's id (incarnation): offsets stored for an earlier incarnation fence nothing.</param>
    public IEnumerable<NpgsqlBatchCommand> EventsCommands(IReadOnlyList<TransactionEvent> events, Func<string, string?>? topicIds)
    {
        var distinct = events.DistinctBy(e => (e.Xid, e.TotalOrder)).ToList();
        var firsts = distinct.Where(e => e.Offset is not null).GroupBy(e => (e.Topic, Partition: e.Partition!.Value))
            .Select(g => (g.Key.Topic, g.Key.Partition, First: g.Min(e => e.Offset!.Value))).ToList();
        if (firsts.Count > 0)
        {
            var ensure = new NpgsqlBatchCommand($"""
                INSERT INTO {tables.Offsets} (consumer_group, topic, partition, next_offset, topic_id)
                SELECT $1, t, p, o, i FROM unnest($2::text[], $3::int[], $4::bigint[], $5::text[]) AS u(t, p, o, i)
                ON CONFLICT (consumer_group, topic, partition) DO NOTHING
                """);
            ensure.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
            ensure.Parameters.Add(new NpgsqlParameter { Value = firsts.Select(f => f.Topic).ToArray() });
            ensure.Parameters.Add(new NpgsqlParameter { Value = firsts.Select(f => f.Partition).ToArray() });
            ensure.Parameters.Add(new NpgsqlParameter { Value = firsts.Select(f => f.First).ToArray() });
            ensure.Parameters.Add(new NpgsqlParameter { Value = firsts.Select(f => topicIds?.Invoke(f.Topic)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            yield return ensure;
        }

        var count = new NpgsqlBatchCommand($"""
            WITH ev AS (
                SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::boolean[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::text[])
                    AS u(xid, total_order, failed, topic, row_key, partition, off, topic_id)),
            fence AS (
                SELECT o.topic, o.partition, o.next_offset, o.topic_id FROM {tables.Offsets} o
                WHERE o.consumer_group = $1 AND (o.topic, o.partition) IN (SELECT topic, partition FROM ev WHERE off IS NOT NULL)
                ORDER BY o.topic, o.partition
                FOR UPDATE),
            fresh AS (
                SELECT ev.* FROM ev LEFT JOIN fence f ON f.topic = ev.topic AND f.partition = ev.partition
                WHERE ev.off IS NULL OR f.next_offset IS NULL OR ev.off >= f.next_offset
                   OR (ev.topic_id IS NOT NULL AND f.topic_id IS DISTINCT FROM ev.topic_id)),
            dead AS (
                INSERT INTO {tables.TransactionEvents} (consumer_group, xid, total_order, failed, topic, row_key)
                SELECT $1, xid, total_order, true, topic, row_key FROM fresh WHERE failed
                ON CONFLICT (consumer_group, xid, total_order) DO NOTHING),
            applied AS (
                SELECT f.xid, f.total_order, e.failed AS stored_failed
                FROM fresh f LEFT JOIN {tables.TransactionEvents} e ON e.consumer_group = $1 AND e.xid = f.xid AND e.total_order = f.total_order
                WHERE NOT f.failed),
            replayed AS (
                UPDATE {tables.TransactionEvents} e SET failed = false, row_key = NULL, applied_at = clock_timestamp()
                FROM applied a
                WHERE a.stored_failed AND e.consumer_group = $1 AND e.xid = a.xid AND e.total_order = a.total_order)
            INSERT INTO {tables.TransactionCounts} AS c (consumer_group, xid, writer, applied, applied_at)
            SELECT $1, xid, pg_backend_pid(), count(*), clock_timestamp() FROM applied WHERE stored_failed IS NULL
            GROUP BY xid ORDER BY xid
            ON CONFLICT (consumer_group, xid, writer) DO UPDATE SET applied = c.applied + excluded.applied, applied_at = excluded.applied_at
            """);
        count.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
        count.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(e => e.Xid).ToArray() });
        count.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(e => e.TotalOrder).ToArray() });
        count.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(e => e.Failed).ToArray() });
        count.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(e => e.Topic).ToArray() });
        count.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(e => e.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        count.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(e => e.Partition is { } p ? (object)p : DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        count.Parameters.Add(Longs(distinct.Select(e => e.Offset)));
        count.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(e => e.Offset is null ? null : topicIds?.Invoke(e.Topic)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        yield return count;
    }

    /// <summary>
    /// For each of <paramref name="xids"/>: its commit LSN and events expected here when its END was saved, and how many
    /// of its events the store already finished with (a run before a restart applied part of it).
    /// </summary>
    public async Task<List<(long Xid, long? CommitLsn, long? Expected, long Stored)>> LookUpAsync(NpgsqlDataSource store, IReadOnlyList<long> xids, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"""
            SELECT x, t.commit_lsn, t.expected,
                   (SELECT count(*) FROM {tables.TransactionEvents} e WHERE e.consumer_group = $1 AND e.xid = x)
                   + (SELECT coalesce(sum(c.applied), 0)::bigint FROM {tables.TransactionCounts} c WHERE c.consumer_group = $1 AND c.xid = x)
            FROM unnest($2::bigint[]) AS u(x)
            LEFT JOIN {tables.Transactions} t ON t.consumer_group = $1 AND t.xid = x
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
        command.Parameters.Add(new NpgsqlParameter { Value = xids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<(long, long?, long?, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetInt64(0), Long(reader, 1), Long(reader, 2), reader.GetInt64(3)));
        }

        return found;
    }

    /// <summary>The transaction topic's next offset as stored (0 when never read).</summary>
    public async Task<long> NextOffsetAsync(NpgsqlDataSource store, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"SELECT next_offset FROM {tables.TransactionProgress} WHERE consumer_group = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
        return await command.ExecuteScalarAsync(cancellationToken) is long next ? next : 0;
    }

    /// <summary>BEGIN and END records read, the next offset after them, and a heartbeat position that became safe, in one transaction.</summary>
    public async Task SaveAsync(NpgsqlDataSource store, IReadOnlyList<TransactionMark> marks, long nextOffset, long? heartbeatLsn, CancellationToken cancellationToken)
    {
        var merged = marks.GroupBy(m => m.Xid).Select(g => g.Aggregate((a, b) => new TransactionMark(
            a.Xid, a.BeginLsn ?? b.BeginLsn, b.CommitLsn ?? a.CommitLsn, b.CommitTsMs, b.TotalEvents ?? a.TotalEvents, b.Expected ?? a.Expected))).ToList();
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (merged.Count > 0)
        {
            var upsert = new NpgsqlBatchCommand($"""
                INSERT INTO {tables.Transactions} AS t (consumer_group, xid, begin_lsn, commit_lsn, commit_time, total_events, expected, ended_at)
                SELECT $1, x, b, c, to_timestamp(ts / 1000.0), n, m, CASE WHEN c IS NOT NULL THEN clock_timestamp() END
                FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) AS u(x, b, c, ts, n, m)
                ON CONFLICT (consumer_group, xid) DO UPDATE SET
                    begin_lsn = coalesce(t.begin_lsn, excluded.begin_lsn),
                    commit_lsn = coalesce(t.commit_lsn, excluded.commit_lsn),
                    commit_time = coalesce(excluded.commit_time, t.commit_time),
                    total_events = coalesce(t.total_events, excluded.total_events),
                    expected = coalesce(t.expected, excluded.expected),
                    ended_at = coalesce(t.ended_at, excluded.ended_at)
                """);
            upsert.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
            upsert.Parameters.Add(new NpgsqlParameter { Value = merged.Select(m => m.Xid).ToArray() });
            upsert.Parameters.Add(Longs(merged.Select(m => m.BeginLsn)));
            upsert.Parameters.Add(Longs(merged.Select(m => m.CommitLsn)));
            upsert.Parameters.Add(new NpgsqlParameter { Value = merged.Select(m => m.CommitTsMs).ToArray() });
            upsert.Parameters.Add(Longs(merged.Select(m => m.TotalEvents)));
            upsert.Parameters.Add(Longs(merged.Select(m => m.Expected)));
            batch.BatchCommands.Add(upsert);
        }

        var progress = new NpgsqlBatchCommand($"""
            INSERT INTO {tables.TransactionProgress} AS p (consumer_group, next_offset, heartbeat_lsn) VALUES ($1, $2, $3)
            ON CONFLICT (consumer_group) DO UPDATE SET
                next_offset = greatest(p.next_offset, excluded.next_offset),
                heartbeat_lsn = greatest(p.heartbeat_lsn, excluded.heartbeat_lsn),
                updated_at = now()
            """);
        progress.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
        progress.Parameters.Add(new NpgsqlParameter { Value = nextOffset });
        progress.Parameters.Add(new NpgsqlParameter { Value = (object?)heartbeatLsn ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        batch.BatchCommands.Add(progress);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Moves open transactions to their current state from their counts and event rows, then the watermark: the highest LSN at or
    /// below which every transaction is finished with here (COMPLETED or PARTIAL_FAILURE). The transaction topic is read
    /// in commit order, so every transaction committed before the newest END read is known; below the oldest open one,
    /// or below the newest END (or a safe heartbeat position) when none is open, nothing is missing.
    /// </summary>
    /// <param name="only">The transactions to evaluate, those whose counts, events or END changed (null: every open one).
    /// Evaluated in a transaction that starts after those changes committed, it sees them.</param>
    /// <returns>The transitions this call made (another instance's are not repeated), the watermark, and how many open
    /// transactions were evaluated.</returns>
    public async Task<(List<TransactionTransition> Transitions, WatermarkStatus Watermark, int Evaluated)> EvaluateAsync(
        NpgsqlDataSource store, IReadOnlyCollection<long>? only, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var transitions = new List<TransactionTransition>();
        var evaluated = 0;
        await using (var update = new NpgsqlCommand($"""
            WITH open AS (
                SELECT xid, expected, commit_time FROM {tables.Transactions}
                WHERE consumer_group = $1 AND state IN {Open}{(only is null ? "" : " AND xid = ANY($2)")}),
            c AS (
                SELECT xid, sum(applied)::bigint AS applied, max(applied_at) AS last_at FROM {tables.TransactionCounts}
                WHERE consumer_group = $1 AND xid IN (SELECT xid FROM open) GROUP BY xid),
            e AS (
                SELECT xid, count(*) FILTER (WHERE NOT failed) AS applied, count(*) FILTER (WHERE failed) AS failed, max(applied_at) AS last_at
                FROM {tables.TransactionEvents} WHERE consumer_group = $1 AND xid IN (SELECT xid FROM open) GROUP BY xid),
            counts AS (
                SELECT o.xid, o.expected, o.commit_time, coalesce(e.applied, 0) + coalesce(c.applied, 0) AS applied,
                       coalesce(e.failed, 0) AS failed, greatest(e.last_at, c.last_at) AS last_at
                FROM open o LEFT JOIN c ON c.xid = o.xid LEFT JOIN e ON e.xid = o.xid),
            next AS (
                SELECT xid, applied, failed, last_at, commit_time,
                       CASE WHEN expected IS NOT NULL AND applied + failed >= expected
                                THEN CASE WHEN failed > 0 THEN '{TransactionStates.PartialFailure}' ELSE '{TransactionStates.Completed}' END
                            WHEN applied + failed > 0 THEN '{TransactionStates.Processing}'
                            ELSE '{TransactionStates.Pending}' END AS state
                FROM counts),
            moved AS (
                UPDATE {tables.Transactions} t
                SET applied = n.applied, failed = n.failed, state = n.state,
                    completed_at = CASE WHEN n.state IN ('{TransactionStates.Completed}', '{TransactionStates.PartialFailure}')
                                        THEN greatest(coalesce(n.last_at, n.commit_time), n.commit_time) END
                FROM next n
                WHERE t.consumer_group = $1 AND t.xid = n.xid AND (t.applied, t.failed, t.state) IS DISTINCT FROM (n.applied, n.failed, n.state)
                RETURNING t.xid, t.commit_lsn, t.state, t.commit_time, t.completed_at)
            SELECT (SELECT count(*)::int FROM open), m.xid, m.commit_lsn, m.state, m.commit_time, m.completed_at
            FROM (VALUES (1)) AS one (x) LEFT JOIN moved m ON true
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
            if (only is not null)
            {
                update.Parameters.Add(new NpgsqlParameter { Value = only.ToArray() });
            }

            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                evaluated = reader.GetInt32(0);
                if (reader[1] is long)
                {
                    transitions.Add(new TransactionTransition(
                        reader.GetInt64(1), Long(reader, 2), reader.GetString(3),
                        Time(reader, 4), Time(reader, 5)));
                }
            }
        }

        WatermarkStatus watermark;
        await using (var advance = new NpgsqlCommand($"""
            WITH w AS (
                SELECT (SELECT min(commit_lsn) FROM {tables.Transactions} WHERE consumer_group = $1 AND commit_lsn IS NOT NULL AND state IN {Open}) AS low,
                       (SELECT min(commit_time) FROM {tables.Transactions} WHERE consumer_group = $1 AND commit_lsn IS NOT NULL AND state IN {Open}) AS oldest,
                       (SELECT max(commit_lsn) FROM {tables.Transactions} WHERE consumer_group = $1) AS top,
                       (SELECT heartbeat_lsn FROM {tables.TransactionProgress} WHERE consumer_group = $1) AS heartbeat),
            saved AS (
                INSERT INTO {tables.TransactionProgress} AS p (consumer_group, watermark_lsn)
                SELECT $1, CASE WHEN low IS NOT NULL THEN low - 1 ELSE greatest(top, heartbeat) END FROM w
                ON CONFLICT (consumer_group) DO UPDATE SET watermark_lsn = greatest(p.watermark_lsn, excluded.watermark_lsn)
                RETURNING watermark_lsn)
            SELECT (SELECT watermark_lsn FROM saved), (SELECT oldest FROM w)
            """, connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
            await using var reader = await advance.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            watermark = new WatermarkStatus(Long(reader, 0), Time(reader, 1));
        }

        await transaction.CommitAsync(cancellationToken);
        return (transitions, watermark, evaluated);
    }

    /// <summary>The watermark as last evaluated, and the commit time of the oldest open transaction (nothing before the sink's first start).</summary>
    public async Task<WatermarkStatus> WatermarkAsync(NpgsqlDataSource store, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadWatermarkAsync(store, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return new WatermarkStatus(null, null);
        }
    }

    private async Task<WatermarkStatus> ReadWatermarkAsync(NpgsqlDataSource store, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"""
            SELECT (SELECT watermark_lsn FROM {tables.TransactionProgress} WHERE consumer_group = $1),
                   (SELECT min(commit_time) FROM {tables.Transactions} WHERE consumer_group = $1 AND commit_lsn IS NOT NULL AND state IN {Open})
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new WatermarkStatus(Long(reader, 0), Time(reader, 1));
    }

    /// <summary>A transaction by its xid, or by an LSN: the one committed there, else the one whose span holds it.</summary>
    public async Task<TransactionStatus?> FindAsync(NpgsqlDataSource store, long? xid, long? lsn, CancellationToken cancellationToken)
    {
        var where = xid is not null
            ? "xid = $2"
            : "commit_lsn = $2 OR (begin_lsn <= $2 AND commit_lsn >= $2)";
        try
        {
            var found = await ListAsync(store, where, "ORDER BY t.commit_lsn = $2 DESC NULLS LAST, t.commit_lsn LIMIT 1", xid ?? lsn!.Value, cancellationToken);
            return found.FirstOrDefault();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    /// <summary>Transactions committed at or below <paramref name="lsn"/> that ended PARTIAL_FAILURE (at most 20, newest first).</summary>
    public Task<List<TransactionStatus>> FailedAtOrBelowAsync(NpgsqlDataSource store, long lsn, CancellationToken cancellationToken) =>
        ListAsync(store, $"state = '{TransactionStates.PartialFailure}' AND commit_lsn <= $2", "ORDER BY t.commit_lsn DESC LIMIT 20", lsn, cancellationToken);

    /// <summary>Forgets finished transactions (and their event rows) older than <paramref name="retention"/>, and stray event rows as old.</summary>
    /// <returns>Transactions removed.</returns>
    public async Task<int> PruneAsync(NpgsqlDataSource store, TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"""
            WITH gone AS (
                DELETE FROM {tables.Transactions}
                WHERE consumer_group = $1 AND state NOT IN {Open} AND completed_at < now() - $2
                RETURNING xid),
            events AS (
                DELETE FROM {tables.TransactionEvents} e
                WHERE e.consumer_group = $1 AND (e.xid IN (SELECT xid FROM gone)
                    OR (e.applied_at < now() - $2 AND NOT EXISTS (SELECT 1 FROM {tables.Transactions} t WHERE t.consumer_group = $1 AND t.xid = e.xid)))),
            counts AS (
                DELETE FROM {tables.TransactionCounts} c
                WHERE c.consumer_group = $1 AND (c.xid IN (SELECT xid FROM gone)
                    OR (c.applied_at < now() - $2 AND NOT EXISTS (SELECT 1 FROM {tables.Transactions} t WHERE t.consumer_group = $1 AND t.xid = c.xid))))
            SELECT count(*)::int FROM gone
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
        command.Parameters.Add(new NpgsqlParameter { Value = retention });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<TransactionStatus>> ListAsync(NpgsqlDataSource store, string condition, string orderAndLimit, long value, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"""
            SELECT t.xid, t.begin_lsn, t.commit_lsn, t.commit_time, t.total_events, t.expected, t.applied, t.failed, t.state, t.completed_at,
                   ARRAY(SELECT e.topic || ' ' || coalesce(e.row_key, '?') FROM {tables.TransactionEvents} e
                         WHERE e.consumer_group = t.consumer_group AND e.xid = t.xid AND e.failed ORDER BY e.total_order LIMIT 100)
            FROM {tables.Transactions} t
            WHERE t.consumer_group = $1 AND ({condition})
            {orderAndLimit}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = consumerGroup });
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<TransactionStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TransactionStatus(
                reader.GetInt64(0),
                Long(reader, 1),
                Long(reader, 2),
                Time(reader, 3),
                Long(reader, 4),
                Long(reader, 5),
                reader.GetInt64(6),
                reader.GetInt64(7),
                reader.GetString(8),
                Time(reader, 9),
                reader[10] as string[] ?? []));
        }

        return list;
    }

    private static long? Long(NpgsqlDataReader reader, int i) => reader[i] is long v ? v : null;

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int i) =>
        reader[i] is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static NpgsqlParameter Longs(IEnumerable<long?> values) =>
        new() { Value = values.Select(v => v is { } x ? (object)x : DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
}
