using Cdc.Common.Postgres;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;

namespace Cdc.Sink.Store;

/// <summary>
/// The set-based statements that apply a staged shape. Every write is guarded by the row's version
/// (docs/design.md#invariant-4-newer-always-wins): an older or equal change never overwrites a newer one, a delete
/// leaves a tombstone, a truncate leaves a watermark, and neither can be undone by a re-delivered older event.
/// <c>$1</c> is always the target's qualified name (its identity in the tombstone and truncation tables).
/// </summary>
public sealed class ApplySql(MetadataTables metadata)
{
    private const string Commit = SinkColumns.CommitLsn;
    private const string Event = SinkColumns.EventLsn;

    public static string StageColumns => $"_cdc_shape, _cdc_key, {Commit}, {Event}";

    public static string CreateStage(string stage, TableInfo table) =>
        $"""
        CREATE TEMP TABLE {PgIdentifier.Quote(stage)} ON COMMIT DELETE ROWS AS
        SELECT NULL::int AS _cdc_shape, NULL::text AS _cdc_key, NULL::bigint AS {Commit}, NULL::bigint AS {Event}{string.Concat(table.DataColumns.Select(c => ", " + PgIdentifier.Quote(c.Name)))}
        FROM {PgIdentifier.Quote(table.Schema, table.Table)} WITH NO DATA
        """;

    public static string Copy(string stage, TableInfo table) =>
        $"COPY pg_temp.{PgIdentifier.Quote(stage)} ({StageColumns}{string.Concat(table.DataColumns.Select(c => ", " + PgIdentifier.Quote(c.Name)))}) FROM STDIN";

    public string For(TableChanges changes, Shape shape, string stage)
    {
        var table = PgIdentifier.Quote(changes.Target.Schema, changes.Target.Table);
        var source = $"pg_temp.{PgIdentifier.Quote(stage)}";
        var soft = changes.Target.DeleteMode == DeleteMode.Soft;
        var keys = changes.Table.KeyColumns.Select(PgIdentifier.Quote).ToList();
        return shape.Kind switch
        {
            ChangeKind.Append => $"""
                INSERT INTO {table} ({Columns(shape.Columns, "")}{Commit}, {Event})
                SELECT {Columns(shape.Columns, "s.")}s.{Commit}, s.{Event} FROM {source} s
                WHERE s._cdc_shape = {shape.Id} AND {NotTruncated("s")}
                """,
            ChangeKind.Delete when !soft => $"""
                WITH d AS (SELECT * FROM {source} WHERE _cdc_shape = {shape.Id}),
                gone AS (
                    DELETE FROM {table} t USING d s
                    WHERE {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} AND {Newer("s", "t")})
                INSERT INTO {metadata.Tombstones} AS b (target_table, row_key, commit_lsn, event_lsn)
                SELECT $1, s._cdc_key, s.{Commit}, s.{Event} FROM d s WHERE s.{Commit} IS NOT NULL
                ON CONFLICT (target_table, row_key) DO UPDATE
                SET commit_lsn = EXCLUDED.commit_lsn, event_lsn = EXCLUDED.event_lsn, deleted_at = now()
                WHERE (b.commit_lsn, b.event_lsn) < (EXCLUDED.commit_lsn, EXCLUDED.event_lsn)
                """,
            _ => Upsert(table, source, shape, keys, soft, deleted: shape.Kind == ChangeKind.Delete),
        };
    }

    /// <summary>Removes rows older than the truncate and records its watermark. <c>$2, $3</c>: the truncate's version.</summary>
    public string Truncate(TableChanges changes)
    {
        var table = PgIdentifier.Quote(changes.Target.Schema, changes.Target.Table);
        var older = changes.TruncateAll ? "true" : $"(t.{Commit} IS NULL OR (t.{Commit}, t.{Event}) < ($2, $3))";
        var remove = changes.Target.DeleteMode == DeleteMode.Soft
            ? $"UPDATE {table} t SET {SinkColumns.Deleted} = true WHERE {older}"
            : $"DELETE FROM {table} t WHERE {older}";
        return $"""
            WITH removed AS ({remove})
            INSERT INTO {metadata.Truncations} AS w (target_table, commit_lsn, event_lsn)
            SELECT $1, $2, $3 WHERE $2::bigint IS NOT NULL
            ON CONFLICT (target_table) DO UPDATE
            SET commit_lsn = EXCLUDED.commit_lsn, event_lsn = EXCLUDED.event_lsn, truncated_at = now()
            WHERE (w.commit_lsn, w.event_lsn) < (EXCLUDED.commit_lsn, EXCLUDED.event_lsn)
            """;
    }

    /// <summary>Stores each partition's next offset; never moves one backwards. <c>$1</c> here is the consumer group.</summary>
    public string Offsets() =>
        $"""
        INSERT INTO {metadata.Offsets} AS o (consumer_group, topic, partition, next_offset, commit_lsn, event_lsn, source_ts_ms, updated_at)
        SELECT $1, u.topic, u.partition, u.next_offset, u.commit_lsn, u.event_lsn, u.source_ts_ms, now()
        FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
            AS u(topic, partition, next_offset, commit_lsn, event_lsn, source_ts_ms)
        ON CONFLICT (consumer_group, topic, partition) DO UPDATE
        SET next_offset = EXCLUDED.next_offset,
            commit_lsn = COALESCE(EXCLUDED.commit_lsn, o.commit_lsn),
            event_lsn = COALESCE(EXCLUDED.event_lsn, o.event_lsn),
            source_ts_ms = COALESCE(EXCLUDED.source_ts_ms, o.source_ts_ms),
            updated_at = now()
        WHERE o.next_offset < EXCLUDED.next_offset
        """;

    private string Upsert(string table, string source, Shape shape, List<string> keys, bool soft, bool deleted)
    {
        var quoted = shape.Columns.Select(PgIdentifier.Quote).ToList();
        var updates = quoted.Where(c => !keys.Contains(c)).Select(c => $"{c} = EXCLUDED.{c}")
            .Append($"{Commit} = COALESCE(EXCLUDED.{Commit}, t.{Commit})")
            .Append($"{Event} = COALESCE(EXCLUDED.{Event}, t.{Event})");
        if (soft)
        {
            updates = updates.Append($"{SinkColumns.Deleted} = {(deleted ? "true" : "false")}");
        }

        var flag = soft ? $", {SinkColumns.Deleted}" : "";
        var flagValue = soft ? (deleted ? ", true" : ", false") : "";
        return $"""
            INSERT INTO {table} AS t ({Columns(shape.Columns, "")}{Commit}, {Event}{flag})
            SELECT {Columns(shape.Columns, "s.")}s.{Commit}, s.{Event}{flagValue} FROM {source} s
            WHERE s._cdc_shape = {shape.Id} AND {NotSuperseded("s")}
            ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE
            SET {string.Join(", ", updates)}
            WHERE {Newer("EXCLUDED", "t")}
            """;
    }

    private static string Columns(IEnumerable<string> columns, string prefix) =>
        string.Concat(columns.Select(c => $"{prefix}{PgIdentifier.Quote(c)}, "));

    /// <summary>The change is newer than the stored row (or one of them carries no version).</summary>
    private static string Newer(string change, string row) =>
        $"({change}.{Commit} IS NULL OR {row}.{Commit} IS NULL OR ({row}.{Commit}, {row}.{Event}) < ({change}.{Commit}, {change}.{Event}))";

    /// <summary>No tombstone or truncation at or after the change; versionless snapshot reads always apply.</summary>
    private string NotSuperseded(string s) =>
        $"""
        ({s}.{Commit} IS NULL OR (
            NOT EXISTS (SELECT 1 FROM {metadata.Tombstones} b WHERE b.target_table = $1 AND b.row_key = {s}._cdc_key
                        AND (b.commit_lsn, b.event_lsn) >= ({s}.{Commit}, {s}.{Event}))
            AND {NotTruncated(s)}))
        """;

    private string NotTruncated(string s) =>
        $"""
        ({s}.{Commit} IS NULL OR NOT EXISTS (SELECT 1 FROM {metadata.Truncations} w WHERE w.target_table = $1
                        AND (w.commit_lsn, w.event_lsn) >= ({s}.{Commit}, {s}.{Event})))
        """;
}
