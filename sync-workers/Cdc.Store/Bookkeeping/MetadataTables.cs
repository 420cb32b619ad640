using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.Store.Bookkeeping;

/// <summary>
/// The bookkeeping tables in the subsystem store's metadata schema: the sink's consumer offsets (committed with the
/// rows, docs/design.md#invariant-3-exactly-once-effect-in-each-store), tombstones of hard-deleted rows and per-table
/// truncation watermarks (docs/design.md#invariant-4-newer-always-wins), the heal requests of gaps in the stream
/// (docs/design.md#no-silent-loss), and the reconciler's audit trail (its runs and their findings, created by the
/// reconciler). An existing store is migrated forward on start: columns added since are added (never dropped).
/// </summary>
public sealed class MetadataTables(string schema)
{
    public string Offsets { get; } = PgIdentifier.Quote(schema, "offsets");

    public string Tombstones { get; } = PgIdentifier.Quote(schema, "tombstones");

    public string Truncations { get; } = PgIdentifier.Quote(schema, "truncations");

    /// <summary>One row per gap a sink found in its stream, and how its heal went (<see cref="HealRequests"/>).</summary>
    public string Heals { get; } = PgIdentifier.Quote(schema, "heals");

    /// <summary>The reconciler's runs: state, progress, totals.</summary>
    public string ReconcileRuns { get; } = PgIdentifier.Quote(schema, "reconcile_runs");

    /// <summary>Every row of drift a reconcile run found, and what its repair did.</summary>
    public string ReconcileFindings { get; } = PgIdentifier.Quote(schema, "reconcile_findings");

    /// <summary>Every source transaction this subsystem tracks: its commit, events expected here, state (README "Transactions").</summary>
    public string Transactions { get; } = PgIdentifier.Quote(schema, "transactions");

    /// <summary>
    /// One row per transaction event this subsystem dead-lettered (with its key), or applied after that by a replay,
    /// written with the batch. Events applied the first time are only counted, in <see cref="TransactionCounts"/>.
    /// </summary>
    public string TransactionEvents { get; } = PgIdentifier.Quote(schema, "transaction_events");

    /// <summary>Events of each transaction applied, counted per batch with the batch (one row per transaction and writing connection).</summary>
    public string TransactionCounts { get; } = PgIdentifier.Quote(schema, "transaction_counts");

    /// <summary>Per consumer group: the transaction topic's next offset, the heartbeat position, the watermark.</summary>
    public string TransactionProgress { get; } = PgIdentifier.Quote(schema, "transaction_progress");

    public string Schema { get; } = schema;

    public async Task EnsureAsync(NpgsqlDataSource store, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT pg_advisory_xact_lock(hashtext('cdc-sink-metadata'));
            CREATE SCHEMA IF NOT EXISTS {PgIdentifier.Quote(Schema)};
            CREATE TABLE IF NOT EXISTS {Offsets} (
                consumer_group text NOT NULL,
                topic text NOT NULL,
                partition int NOT NULL,
                next_offset bigint NOT NULL,
                commit_lsn bigint,
                event_lsn bigint,
                source_ts_ms bigint,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer_group, topic, partition));
            -- Migration: the topic's incarnation (its Kafka topic id) beside each offset, so a recreated topic is seen.
            ALTER TABLE {Offsets} ADD COLUMN IF NOT EXISTS topic_id text;
            CREATE TABLE IF NOT EXISTS {Tombstones} (
                target_table text NOT NULL,
                row_key text NOT NULL,
                commit_lsn bigint NOT NULL,
                event_lsn bigint NOT NULL,
                deleted_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (target_table, row_key));
            CREATE TABLE IF NOT EXISTS {Truncations} (
                target_table text PRIMARY KEY,
                commit_lsn bigint NOT NULL,
                event_lsn bigint NOT NULL,
                truncated_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE IF NOT EXISTS {Transactions} (
                consumer_group text NOT NULL,
                xid bigint NOT NULL,
                begin_lsn bigint,
                commit_lsn bigint,
                commit_time timestamptz,
                total_events bigint,
                expected bigint,
                applied bigint NOT NULL DEFAULT 0,
                failed bigint NOT NULL DEFAULT 0,
                state text NOT NULL DEFAULT 'PENDING',
                ended_at timestamptz,
                completed_at timestamptz,
                PRIMARY KEY (consumer_group, xid));
            CREATE INDEX IF NOT EXISTS transactions_by_commit ON {Transactions} (consumer_group, commit_lsn);
            CREATE TABLE IF NOT EXISTS {TransactionEvents} (
                consumer_group text NOT NULL,
                xid bigint NOT NULL,
                total_order bigint NOT NULL,
                failed boolean NOT NULL,
                topic text NOT NULL,
                row_key text,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                PRIMARY KEY (consumer_group, xid, total_order));
            -- writer: the backend that counted them, so concurrent apply lanes never wait on one another's row.
            CREATE TABLE IF NOT EXISTS {TransactionCounts} (
                consumer_group text NOT NULL,
                xid bigint NOT NULL,
                writer int NOT NULL,
                applied bigint NOT NULL,
                applied_at timestamptz NOT NULL,
                PRIMARY KEY (consumer_group, xid, writer));
            CREATE TABLE IF NOT EXISTS {TransactionProgress} (
                consumer_group text PRIMARY KEY,
                next_offset bigint NOT NULL DEFAULT 0,
                heartbeat_lsn bigint,
                watermark_lsn bigint,
                updated_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE IF NOT EXISTS {Heals} (
                id bigserial PRIMARY KEY,
                consumer_group text NOT NULL,
                topic text NOT NULL,
                partition int NOT NULL,
                topic_id text NOT NULL DEFAULT '',
                from_offset bigint NOT NULL,
                to_offset bigint,
                records_lost bigint,
                reason text NOT NULL,
                topic_prefix text NOT NULL,
                source_table text NOT NULL,
                state text NOT NULL DEFAULT 'requested',
                detected_at timestamptz NOT NULL DEFAULT now(),
                signalled_at timestamptz,
                healed_at timestamptz,
                reconcile_run bigint,
                detail text,
                UNIQUE (consumer_group, topic, partition, topic_id, from_offset));
            """;
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        bool counted;
        await using (var check = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('cdc-sink-metadata')), to_regclass($1) IS NOT NULL", connection, transaction))
        {
            check.Parameters.Add(new NpgsqlParameter { Value = TransactionCounts });
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            counted = reader.GetBoolean(1);
        }

        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!counted)
        {
            // Migration: applied events were once stored one row each; they become counts, once (one statement, so an
            // instance still writing event rows loses none). Rows applied by a replay stay rows from then on.
            await using var migrate = new NpgsqlCommand($"""
                WITH moved AS (
                    DELETE FROM {TransactionEvents} WHERE NOT failed RETURNING consumer_group, xid, applied_at)
                INSERT INTO {TransactionCounts} AS c (consumer_group, xid, writer, applied, applied_at)
                SELECT consumer_group, xid, 0, count(*), max(applied_at) FROM moved GROUP BY consumer_group, xid
                ON CONFLICT (consumer_group, xid, writer) DO UPDATE
                    SET applied = c.applied + excluded.applied, applied_at = greatest(c.applied_at, excluded.applied_at)
                """, connection, transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The stored next offset of each partition of <paramref name="group"/> (synchronous: called inside Kafka's rebalance callback).</summary>
    public Dictionary<(string Topic, int Partition), long> ReadOffsets(NpgsqlDataSource store, string group) =>
        ReadPositions(store, group).ToDictionary(p => p.Key, p => p.Value.NextOffset);

    /// <summary>
    /// The stored next offset of each partition of <paramref name="group"/> with the topic id (incarnation) it belongs
    /// to, null for offsets stored before topic ids were kept (synchronous: called inside Kafka's rebalance callback).
    /// </summary>
    public Dictionary<(string Topic, int Partition), StoredPosition> ReadPositions(NpgsqlDataSource store, string group)
    {
        using var command = store.CreateCommand($"SELECT topic, partition, next_offset, topic_id FROM {Offsets} WHERE consumer_group = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = group });
        using var reader = command.ExecuteReader();
        var offsets = new Dictionary<(string, int), StoredPosition>();
        while (reader.Read())
        {
            offsets[(reader.GetString(0), reader.GetInt32(1))] = new StoredPosition(reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }

        return offsets;
    }
}
