using Npgsql;

namespace Cdc.Store.Bookkeeping;

/// <summary>
/// The heal requests in the store's <c>heals</c> table (docs/design.md#no-silent-loss): one row per gap (unique by
/// group, partition, incarnation and first missing offset, so a gap found again while its heal is open is not healed
/// twice; found again after it was healed, the sink read past it once more, so it is opened again: a heal is never dropped),
/// moving <c>requested</c> → <c>signalled</c> (the sink asked the source connector for a re-snapshot through Kafka) →
/// <c>healed</c> (the heal worker compared the table, removed rows the primary no longer has, re-streamed what still
/// differed, and verified; its reconcile run is the audit trail) or <c>failed</c> (rows still differed: tried again,
/// paced, until a run verifies). <c>healing</c> was an earlier version's mark of a running heal; the worker now holds its
/// claim in a transaction, so an interrupted heal stays as it was and is run again.
/// </summary>
public sealed class HealRequests(MetadataTables metadata)
{
    public const string Requested = "requested";
    public const string Signalled = "signalled";
    public const string Healing = "healing";
    public const string Healed = "healed";
    public const string Failed = "failed";

    /// <summary>Records a gap (synchronously: before the offsets past it can be stored). False when it was known and still open.</summary>
    public bool Record(NpgsqlDataSource store, string group, StreamGap gap)
    {
        var source = StreamGap.SourceOf(gap.Topic);
        using var command = store.CreateCommand($"""
            INSERT INTO {metadata.Heals} (consumer_group, topic, partition, topic_id, from_offset, to_offset, records_lost, reason, topic_prefix, source_table)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (consumer_group, topic, partition, topic_id, from_offset) DO UPDATE
                SET state = '{Requested}', detail = 'found again after it was healed', signalled_at = NULL, healed_at = NULL,
                    to_offset = EXCLUDED.to_offset, records_lost = EXCLUDED.records_lost, reason = EXCLUDED.reason
                WHERE {metadata.Heals}.state = '{Healed}'
            """);
        Add(command, group, gap.Topic, gap.Partition, gap.TopicId ?? "", gap.FromOffset, gap.ToOffset, gap.RecordsLost, gap.Reason, source?.Prefix ?? "", source?.Table ?? gap.Topic);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>
    /// Claims, inside <paramref name="transaction"/>, the requested heals of <paramref name="group"/> whose table had
    /// no heal signalled within <paramref name="pace"/> (heals are paced per table), locking them against other instances.
    /// </summary>
    /// <param name="ids">Only these heals (null: any); a claim held for long must lock only what it works on.</param>
    public async Task<List<HealRequest>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? group, IReadOnlyCollection<string> states, TimeSpan pace, CancellationToken cancellationToken, long[]? ids = null)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT h.id, h.consumer_group, h.topic, h.partition, h.topic_prefix, h.source_table, h.reason, h.from_offset, h.to_offset
            FROM {metadata.Heals} h
            WHERE ($1::text IS NULL OR h.consumer_group = $1) AND h.state = ANY($2) AND ($4::bigint[] IS NULL OR h.id = ANY($4))
              AND NOT EXISTS (SELECT 1 FROM {metadata.Heals} p
                              WHERE p.consumer_group = h.consumer_group AND p.source_table = h.source_table AND p.id <> h.id
                                AND p.signalled_at > now() - $3::interval)
            ORDER BY h.id
            FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        Add(command, group, states.ToArray(), pace, ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<HealRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new HealRequest(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetInt64(7), await reader.IsDBNullAsync(8, cancellationToken) ? null : reader.GetInt64(8)));
        }

        return claimed;
    }

    /// <summary>Moves heals to <paramref name="state"/> with a detail line (and the reconcile run that healed them).</summary>
    public async Task MarkAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<long> ids, string state, string detail, long? run, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE {metadata.Heals} SET state = $2, detail = $3, reconcile_run = coalesce($4, reconcile_run),
                signalled_at = CASE WHEN $2 = '{Signalled}' THEN now() ELSE signalled_at END,
                healed_at = CASE WHEN $2 IN ('{Healed}', '{Failed}') THEN now() ELSE healed_at END
            WHERE id = ANY($1)
            """, connection, transaction);
        Add(command, ids.ToArray(), state, detail, run);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Heals not healed (requested, signalled, healing, or failed), for the gauge an alert watches.</summary>
    public async Task<long> OpenAsync(NpgsqlDataSource store, string? group, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"SELECT count(*) FROM {metadata.Heals} WHERE ($1::text IS NULL OR consumer_group = $1) AND state <> '{Healed}'");
        Add(command, group);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown },
                _ => new NpgsqlParameter { Value = value },
            });
        }
    }
}
