using Cdc.Common.Postgres;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;

namespace Cdc.Store.Writes;

/// <summary>
/// The one way rows are written to a subsystem store, by the sink's batches and the reconciler's direct repairs alike:
/// set-based statements guarded by the row's version (docs/design.md#invariant-4-newer-always-wins, docs/design.md#invariant-9-repairs-never-beat-the-stream). Under <see cref="WriteGuard.Newer"/>
/// an older or equal change never overwrites a newer one, a delete leaves a tombstone and a truncate a watermark, and
/// neither can be undone by a re-delivered older event; under <see cref="WriteGuard.Unchanged"/> a repair writes only
/// over the version it compared. <c>$1</c> is always the target's qualified name (its identity in the tombstone and
/// truncation tables).
/// </summary>
public sealed class GuardedWrite(MetadataTables metadata)
{
    private const string Commit = SinkColumns.CommitLsn;
    private const string Event = SinkColumns.EventLsn;
    private const string Key = "_cdc_key";

    /// <summary>The bookkeeping columns of a staging table, before the target's data columns.</summary>
    public static string StageColumns => $"_cdc_shape, {Key}, {Commit}, {Event}";

    /// <summary>A temporary table shaped like <paramref name="table"/>'s data columns, emptied at each commit.</summary>
    public static string CreateStage(string stage, TableInfo table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"""
            CREATE TEMP TABLE {PgIdentifier.Quote(stage)} ON COMMIT DELETE ROWS AS
            SELECT NULL::int AS _cdc_shape, NULL::text AS {Key}, NULL::bigint AS {Commit}, NULL::bigint AS {Event}{string.Concat(table.DataColumns.Select(c => ", " + PgIdentifier.Quote(c.Name)))}
            FROM {PgIdentifier.Quote(table.Schema, table.Table)} WITH NO DATA
            """;
    }

    /// <summary><c>COPY ... FROM STDIN</c> into a stage: <see cref="StageColumns"/>, then the data columns.</summary>
    public static string Copy(string stage, TableInfo table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"COPY pg_temp.{PgIdentifier.Quote(stage)} ({StageColumns}{string.Concat(table.DataColumns.Select(c => ", " + PgIdentifier.Quote(c.Name)))}) FROM STDIN";
    }

    /// <summary>The rows of one shape of a stage.</summary>
    public static WriteSource Staged(string stage, int shape) => new($"pg_temp.{PgIdentifier.Quote(stage)} s", $"s._cdc_shape = {shape}");

    /// <summary>Writes <paramref name="source"/>'s rows of one <paramref name="kind"/> with these data columns.</summary>
    /// <param name="keyColumns">The target's key (by <see cref="KeyRule"/>); unused for appends.</param>
    public string Write(TableTarget target, IReadOnlyList<string> keyColumns, ChangeKind kind, IReadOnlyList<string> columns, WriteSource source, WriteGuard guard)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(keyColumns);
        ArgumentNullException.ThrowIfNull(source);
        var table = PgIdentifier.Quote(target.Schema, target.Table);
        var soft = target.DeleteMode == DeleteMode.Soft;
        var keys = keyColumns.Select(PgIdentifier.Quote).ToList();
        return kind switch
        {
            ChangeKind.Append => $"""
                INSERT INTO {table} ({Columns(columns, "")}{Commit}, {Event})
                SELECT {Columns(columns, "s.")}s.{Commit}, s.{Event} FROM {source.From}
                WHERE {source.Where} AND {NotTruncated("s")}
                """,
            ChangeKind.Delete when !soft => Delete(table, keys, source, guard),
            _ => Upsert(table, source, columns, keys, soft, deleted: kind == ChangeKind.Delete, guard),
        };
    }

    /// <summary>Removes rows older than the truncate and records its watermark. <c>$2, $3</c>: the truncate's version.</summary>
    public string Truncate(TableTarget target, bool all)
    {
        ArgumentNullException.ThrowIfNull(target);
        var table = PgIdentifier.Quote(target.Schema, target.Table);
        var older = all ? "true" : $"(t.{Commit} IS NULL OR {Newer("$2::bigint", "$3::bigint", $"t.{Commit}", $"t.{Event}")})";
        var remove = target.DeleteMode == DeleteMode.Soft
            ? $"UPDATE {table} t SET {SinkColumns.Deleted} = true WHERE {older}"
            : $"DELETE FROM {table} t WHERE {older}";
        return $"""
            WITH removed AS ({remove})
            INSERT INTO {metadata.Truncations} AS w (target_table, commit_lsn, event_lsn)
            SELECT $1, $2, $3 WHERE $2::bigint IS NOT NULL
            ON CONFLICT (target_table) DO UPDATE
            SET commit_lsn = EXCLUDED.commit_lsn, event_lsn = EXCLUDED.event_lsn, truncated_at = now()
            WHERE {Newer("EXCLUDED.commit_lsn", "EXCLUDED.event_lsn", "w.commit_lsn", "w.event_lsn")}
            """;
    }

    /// <summary>
    /// Stores partitions' next offsets (<c>$1</c> the consumer group, $2..$8: topic, partition, next offset, version, source time, topic id). An offset
    /// only moves forward within one incarnation of a topic (a batch of a consumer whose partition was reassigned
    /// meanwhile can never move it back); a new incarnation (another topic id: the topic was recreated) starts over.
    /// </summary>
    public string Offsets() =>
        $"""
        INSERT INTO {metadata.Offsets} AS o (consumer_group, topic, partition, next_offset, commit_lsn, event_lsn, source_ts_ms, topic_id, updated_at)
        SELECT $1, u.topic, u.partition, u.next_offset, u.commit_lsn, u.event_lsn, u.source_ts_ms, u.topic_id, now()
        FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[])
            AS u(topic, partition, next_offset, commit_lsn, event_lsn, source_ts_ms, topic_id)
        ON CONFLICT (consumer_group, topic, partition) DO UPDATE
        SET next_offset = EXCLUDED.next_offset,
            commit_lsn = COALESCE(EXCLUDED.commit_lsn, o.commit_lsn),
            event_lsn = COALESCE(EXCLUDED.event_lsn, o.event_lsn),
            source_ts_ms = COALESCE(EXCLUDED.source_ts_ms, o.source_ts_ms),
            topic_id = COALESCE(EXCLUDED.topic_id, o.topic_id),
            updated_at = now()
        WHERE o.next_offset < EXCLUDED.next_offset
           OR (EXCLUDED.topic_id IS NOT NULL AND o.topic_id IS DISTINCT FROM EXCLUDED.topic_id)
        """;

    private string Delete(string table, List<string> keys, WriteSource source, WriteGuard guard)
    {
        var delete = $"""
            DELETE FROM {table} t USING d s
            WHERE {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} AND {Guard("s", "t", guard)}
            """;
        // A repair knows the row only by its stored values, not by the sink's rendering of the events' key: it leaves
        // no tombstone (the row's version stays as the guard of whatever the stream brings next). The stream's delete
        // leaves one unless the row it names holds a newer version (the statement's rows affected are then the deletes
        // that took effect: the others were superseded).
        return guard == WriteGuard.Unchanged
            ? $"WITH d AS (SELECT s.* FROM {source.From} WHERE {source.Where}) {delete}"
            : $"""
                WITH d AS (SELECT s.* FROM {source.From} WHERE {source.Where}),
                gone AS ({delete})
                INSERT INTO {metadata.Tombstones} AS b (target_table, row_key, commit_lsn, event_lsn)
                SELECT $1, s.{Key}, s.{Commit}, s.{Event} FROM d s WHERE s.{Commit} IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM {table} t WHERE {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} AND NOT {Guard("s", "t", guard)})
                ON CONFLICT (target_table, row_key) DO UPDATE
                SET commit_lsn = EXCLUDED.commit_lsn, event_lsn = EXCLUDED.event_lsn, deleted_at = now()
                WHERE {Newer("EXCLUDED.commit_lsn", "EXCLUDED.event_lsn", "b.commit_lsn", "b.event_lsn")}
                """;
    }

    private string Upsert(string table, WriteSource source, IReadOnlyList<string> columns, List<string> keys, bool soft, bool deleted, WriteGuard guard)
    {
        var quoted = columns.Select(PgIdentifier.Quote).ToList();
        var updates = quoted.Where(c => !keys.Contains(c)).Select(c => $"{c} = EXCLUDED.{c}")
            .Append($"{Commit} = COALESCE(EXCLUDED.{Commit}, t.{Commit})")
            .Append($"{Event} = COALESCE(EXCLUDED.{Event}, t.{Event})");
        if (soft)
        {
            updates = updates.Append($"{SinkColumns.Deleted} = {(deleted ? "true" : "false")}");
        }

        var flag = soft ? $", {SinkColumns.Deleted}" : "";
        var flagValue = soft ? (deleted ? ", true" : ", false") : "";
        var insertable = guard == WriteGuard.Newer ? NotSuperseded("s") : "true";
        return $"""
            INSERT INTO {table} AS t ({Columns(columns, "")}{Commit}, {Event}{flag})
            SELECT {Columns(columns, "s.")}s.{Commit}, s.{Event}{flagValue} FROM {source.From}
            WHERE {source.Where} AND {insertable}
            ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE
            SET {string.Join(", ", updates)}
            WHERE {Guard("EXCLUDED", "t", guard)}
            """;
    }

    private static string Columns(IEnumerable<string> columns, string prefix) =>
        string.Concat(columns.Select(c => $"{prefix}{PgIdentifier.Quote(c)}, "));

    private static string Guard(string change, string row, WriteGuard guard) => guard switch
    {
        // The change is newer than the stored row (or one of them carries no version).
        WriteGuard.Newer => $"({change}.{Commit} IS NULL OR {row}.{Commit} IS NULL OR {Newer($"{change}.{Commit}", $"{change}.{Event}", $"{row}.{Commit}", $"{row}.{Event}")})",
        // The stored row still has the version the change carries (NULL matching NULL: a versionless snapshot read).
        _ => $"({row}.{Commit}, {row}.{Event}) IS NOT DISTINCT FROM ({change}.{Commit}, {change}.{Event})",
    };

    /// <summary>No tombstone or truncation at or after the change; versionless snapshot reads always apply.</summary>
    private string NotSuperseded(string s) =>
        $"""
        ({s}.{Commit} IS NULL OR (
            NOT EXISTS (SELECT 1 FROM {metadata.Tombstones} b WHERE b.target_table = $1 AND b.row_key = {s}.{Key}
                        AND NOT {Newer($"{s}.{Commit}", $"{s}.{Event}", "b.commit_lsn", "b.event_lsn")})
            AND {NotTruncated(s)}))
        """;

    /// <summary>
    /// No truncation at or after the change. The target's one watermark row (its key is the target) is read by scalar
    /// subqueries, which PostgreSQL runs once per statement, not once per row as the correlated <c>NOT EXISTS</c> it
    /// replaces; <c>IS NOT FALSE</c> keeps that form's answer exactly, a missing watermark (NULL) included.
    /// </summary>
    private string NotTruncated(string s)
    {
        var commit = $"(SELECT w.commit_lsn FROM {metadata.Truncations} w WHERE w.target_table = $1)";
        var eventLsn = $"(SELECT w.event_lsn FROM {metadata.Truncations} w WHERE w.target_table = $1)";
        return $"({s}.{Commit} IS NULL OR {Newer($"{s}.{Commit}", $"{s}.{Event}", commit, eventLsn)} IS NOT FALSE)";
    }

    /// <summary>
    /// (commit, event) is newer than (otherCommit, otherEvent) under the per-row rule (ChangeVersion.IsNewerThan):
    /// by <c>source.sequence</c> when both have a commit LSN, by the event LSN alone when either lacks one (0): one row's
    /// events are ordered by their own LSN, a row lock orders their writers (docs/design.md#change-order-comes-from-the-sequence-not-the-lsn).
    /// </summary>
    private static string Newer(string commit, string eventLsn, string otherCommit, string otherEvent) =>
        $"(CASE WHEN {commit} = 0 OR {otherCommit} = 0 THEN {otherEvent} < {eventLsn} ELSE ({otherCommit}, {otherEvent}) < ({commit}, {eventLsn}) END)";
}
