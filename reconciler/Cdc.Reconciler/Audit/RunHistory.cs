using Cdc.Common.Postgres;
using Cdc.Reconciler.Reporting;
using Cdc.Store.Bookkeeping;
using Npgsql;

namespace Cdc.Reconciler.Audit;

/// <summary>
/// The audit trail in the store: each run as a job (<c>reconcile_runs</c>: state, progress, totals) and every row of
/// drift it found with what its repair did (<c>reconcile_findings</c>), in the sink's metadata schema.
/// </summary>
public sealed class RunHistory(NpgsqlDataSource store, MetadataTables metadata)
{
    public string Runs { get; } = metadata.ReconcileRuns;

    public string Findings { get; } = metadata.ReconcileFindings;

    /// <summary>
    /// Creates the audit tables when missing, and nothing else: the reconciler's role may create tables in the
    /// metadata schema (it owns its audit tables) but not schemas, and <c>CREATE … IF NOT EXISTS</c> checks that right
    /// even when the object exists (scripts/roles/reconciler-store.sql).
    /// </summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockAudit = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('cdc-reconcile-audit'))", connection, transaction))
        {
            await lockAudit.ExecuteNonQueryAsync(cancellationToken);
        }

        string createSchema;
        await using (var existing = new NpgsqlCommand(
            "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1), to_regclass($2) IS NOT NULL AND to_regclass($3) IS NOT NULL", connection, transaction))
        {
            existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = metadata.Schema });
            existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Runs });
            existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Findings });
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetBoolean(1))
            {
                await reader.DisposeAsync();
                await MigrateAsync(connection, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }

            createSchema = reader.GetBoolean(0) ? "" : $"CREATE SCHEMA {PgIdentifier.Quote(metadata.Schema)};";
        }

        var sql = $"""
            {createSchema}
            CREATE TABLE IF NOT EXISTS {Runs} (
                id bigserial PRIMARY KEY,
                state text NOT NULL,
                repair text NOT NULL,
                tables text[] NOT NULL,
                started_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz,
                consistency_lsn pg_lsn,
                consistency text,
                current_table text,
                ranges_done bigint NOT NULL DEFAULT 0,
                ranges_total bigint NOT NULL DEFAULT 0,
                rows_compared bigint NOT NULL DEFAULT 0,
                rows_transferred bigint NOT NULL DEFAULT 0,
                missing int NOT NULL DEFAULT 0,
                extra int NOT NULL DEFAULT 0,
                divergent int NOT NULL DEFAULT 0,
                repaired int NOT NULL DEFAULT 0,
                message text);
            CREATE TABLE IF NOT EXISTS {Findings} (
                run_id bigint NOT NULL REFERENCES {Runs} (id) ON DELETE CASCADE,
                table_name text NOT NULL,
                kind text NOT NULL,
                row_key text[] NOT NULL,
                columns text[] NOT NULL,
                repair text,
                found_at timestamptz NOT NULL DEFAULT now());
            CREATE INDEX IF NOT EXISTS reconcile_findings_run ON {Findings} (run_id);
            """;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await MigrateAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <param name="reason">Why the run was started (a heal names its gaps), null for a run asked for by an operator or a schedule.</param>
    public async Task<long> StartAsync(string repair, IReadOnlyList<string> tables, CancellationToken cancellationToken, string? reason = null)
    {
        await using var command = store.CreateCommand($"INSERT INTO {Runs} (state, repair, tables, reason) VALUES ($1, $2, $3, $4) RETURNING id");
        command.Parameters.Add(new NpgsqlParameter { Value = Names.Of(RunState.Pending) });
        command.Parameters.Add(new NpgsqlParameter { Value = repair });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tables] });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Audit tables of an earlier version get the columns added since (the reconciler owns them).</summary>
    private async Task MigrateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"ALTER TABLE {Runs} ADD COLUMN IF NOT EXISTS reason text", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpdateAsync(long runId, RunState state, RunProgress progress, string? consistencyLsn, string? consistency, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"""
            UPDATE {Runs} SET state = $2, updated_at = now(), current_table = $3, ranges_done = $4, ranges_total = $5,
                rows_compared = $6, rows_transferred = $7, consistency_lsn = coalesce($8::pg_lsn, consistency_lsn), consistency = coalesce($9, consistency)
            WHERE id = $1
            """);
        Add(command, runId, Names.Of(state), progress.Table, progress.RangesDone, progress.RangesTotal, progress.RowsCompared, progress.RowsTransferred, consistencyLsn, consistency);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task FinishAsync(ReconcileResult result, RunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var update = new NpgsqlBatchCommand($"""
                UPDATE {Runs} SET state = $2, updated_at = now(), finished_at = now(), current_table = NULL, ranges_done = $3, ranges_total = $4,
                    rows_compared = $5, rows_transferred = $6, missing = $7, extra = $8, divergent = $9, repaired = $10, message = $11
                WHERE id = $1
                """);
            Add(update, result.RunId, Names.Of(result.State), progress.RangesDone, progress.RangesTotal, result.RowsCompared, result.RowsTransferred,
                result.Tables.Sum(t => t.Missing), result.Tables.Sum(t => t.Extra), result.Tables.Sum(t => t.Divergent), result.Tables.Sum(t => t.Repaired),
                Message(result));
            batch.BatchCommands.Add(update);
            var findings = result.Tables.SelectMany(t => t.Findings).ToList();
            if (findings.Count > 0)
            {
                var insert = new NpgsqlBatchCommand($"""
                    INSERT INTO {Findings} (run_id, table_name, kind, row_key, columns, repair)
                    SELECT $1, f.table_name, f.kind, ARRAY(SELECT json_array_elements_text(f.row_key::json)), ARRAY(SELECT json_array_elements_text(f.columns::json)), f.repair
                    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS f(table_name, kind, row_key, columns, repair)
                    """);
                Add(insert, result.RunId,
                    findings.Select(f => f.Table).ToArray(),
                    findings.Select(f => Names.Of(f.Kind)).ToArray(),
                    findings.Select(f => System.Text.Json.JsonSerializer.Serialize(f.KeyValues)).ToArray(),
                    findings.Select(f => System.Text.Json.JsonSerializer.Serialize(f.Columns)).ToArray(),
                    findings.Select(f => f.Repair).ToArray());
                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The newest runs, newest first (the current one included while it runs).</summary>
    public async Task<List<RunRecord>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand($"""
            SELECT id, state, repair, array_to_string(tables, ','), started_at, finished_at, coalesce(current_table, ''), ranges_done, ranges_total,
                   rows_compared, rows_transferred, missing, extra, divergent, repaired, coalesce(message, ''), coalesce(consistency, '')
            FROM {Runs} ORDER BY id DESC LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RunRecord(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                await reader.GetFieldValueAsync<DateTimeOffset>(4, cancellationToken), await reader.GetFieldValueAsync<DateTimeOffset?>(5, cancellationToken), reader.GetString(6),
                reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10),
                reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetString(15), reader.GetString(16)));
        }

        return runs;
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = Runs });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Message(ReconcileResult result) =>
        result.Error ?? string.Join("; ", result.Tables.Where(t => t.Refusal is not null).Select(t => t.Refusal)
            .Concat(result.Tables.SelectMany(t => t.Skipped.Select(s => $"{t.Table}: not compared: {s}")))
            .Prepend(result.Lagging ? result.Consistency?.Detail : null).OfType<string>());

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }

    private static void Add(NpgsqlBatchCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
