using System.Data;
using Cdc.Common.Postgres;
using Cdc.Reconciler.Compare;
using Cdc.Reconciler.Schema;
using Npgsql;

namespace Cdc.Reconciler.Repair;

/// <summary>
/// Writes the primary's current rows into the store and removes extra rows, without ever beating the stream
/// (docs/design.md#invariant-9-repairs-never-beat-the-stream). The primary's rows are read in one REPEATABLE READ
/// snapshot. Each write keeps the version the store row had when it was compared (a row that was absent gets (0, 0),
/// below any real change), so any change the stream applies later is newer and wins under the sink's guard. And each
/// write happens only if the store row still has that version: if the stream changed the row since, the repair steps
/// aside. All writes of a table commit in one store transaction, like a sink batch.
/// </summary>
internal sealed class DirectRepair(NpgsqlDataSource primary, NpgsqlDataSource store)
{
    public const string Repaired = "repaired";
    public const string SkippedChanged = "skipped: the store row changed since the check (the stream wins)";
    public const string SkippedPresent = "skipped: the row exists on the primary again";

    public async Task ApplyAsync(TablePair pair, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        var current = await ReadPrimaryAsync(pair, findings, cancellationToken);
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var planned = new List<(Finding Finding, string? SkipReason)>();
        foreach (var finding in findings)
        {
            var row = current.GetValueOrDefault(finding.Key);
            if (finding.Kind == DriftKind.Extra)
            {
                if (row is not null)
                {
                    finding.Repair = SkippedPresent;
                    continue;
                }

                batch.BatchCommands.Add(Remove(pair, finding));
            }
            else
            {
                if (row is null)
                {
                    finding.Repair = "skipped: the row is gone from the primary";
                    continue;
                }

                batch.BatchCommands.Add(Write(pair, finding, row));
            }

            planned.Add((finding, null));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var i = 0; i < planned.Count; i++)
        {
            planned[i].Finding.Repair = batch.BatchCommands[i].RecordsAffected > 0 ? Repaired : SkippedChanged;
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Each compared column's own text on the primary, by canonical key, from one snapshot.</summary>
    private async Task<Dictionary<string, string?[]>> ReadPrimaryAsync(TablePair pair, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        await using var connection = await primary.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var keys = pair.Keys.Select((k, i) => (Column: PgIdentifier.Quote(k.Primary.Name), Type: k.Primary.CastType, Index: i)).ToList();
        var sql = $"""
            SELECT {pair.KeyText(primary: true)}, {string.Join(", ", pair.Columns.Select(c => $"t.{PgIdentifier.Quote(c.Primary.Name)}::text"))}
            FROM {pair.QuotedTable(primary: true)} t
            JOIN unnest({string.Join(", ", keys.Select(k => $"${k.Index + 1}::text[]"))}) AS u({string.Join(", ", keys.Select(k => $"k{k.Index}"))})
              ON {string.Join(" AND ", keys.Select(k => $"t.{k.Column} = u.k{k.Index}::{k.Type}"))}
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var key in keys)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. findings.Select(f => f.KeyValues[key.Index])] });
        }

        var rows = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetString(0)] = [.. Enumerable.Range(1, pair.Columns.Count).Select(i => reader.GetValue(i) as string)];
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    private static NpgsqlBatchCommand Write(TablePair pair, Finding finding, string?[] values)
    {
        var command = new NpgsqlBatchCommand();
        var columns = pair.Columns.Select(c => PgIdentifier.Quote(c.Store.Name)).ToList();
        var casts = pair.Columns.Select((c, i) => $"${i + 1}::{c.Store.PgType}").ToList();
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = value });
        }

        var updates = pair.Columns.Where(c => !c.IsKey).Select(c => $"{PgIdentifier.Quote(c.Store.Name)} = EXCLUDED.{PgIdentifier.Quote(c.Store.Name)}").ToList();
        if (pair.StoreHasVersion)
        {
            // Absent rows get (0, 0): older than any change the stream can bring, so the stream always wins.
            var version = finding.StoreRow?.Version;
            columns.AddRange([SinkColumnsText.Commit, SinkColumnsText.Event]);
            casts.Add(Parameter(command, version is null ? 0L : version.Commit));
            casts.Add(Parameter(command, version is null ? 0L : version.Event));
        }

        if (pair.SoftDeletes)
        {
            columns.Add(SinkColumnsText.Deleted);
            casts.Add("false");
            updates.Add($"{SinkColumnsText.Deleted} = false");
        }

        var keys = string.Join(", ", pair.QuotedKeys(primary: false));
        var conflict = updates.Count == 0 || finding.StoreRow is null
            ? "DO NOTHING"
            : $"DO UPDATE SET {string.Join(", ", updates)} WHERE {Unchanged(pair, finding, command, "t.")}";
        command.CommandText = $"""
            INSERT INTO {pair.QuotedTable(primary: false)} AS t ({string.Join(", ", columns)}) VALUES ({string.Join(", ", casts)})
            ON CONFLICT ({keys}) {conflict}
            """;
        return command;
    }

    private static NpgsqlBatchCommand Remove(TablePair pair, Finding finding)
    {
        var command = new NpgsqlBatchCommand();
        var match = string.Join(" AND ", pair.Keys.Select((k, i) => $"{PgIdentifier.Quote(k.Store.Name)} = {Parameter(command, finding.KeyValues[i])}::{k.Store.CastType}"));
        var guard = Unchanged(pair, finding, command, "");
        command.CommandText = pair.SoftDeletes
            ? $"UPDATE {pair.QuotedTable(primary: false)} SET {SinkColumnsText.Deleted} = true WHERE {match} AND {guard}"
            : $"DELETE FROM {pair.QuotedTable(primary: false)} WHERE {match} AND {guard}";
        return command;
    }

    /// <summary>The store row still has the version it had when compared (only-if-unchanged).</summary>
    private static string Unchanged(TablePair pair, Finding finding, NpgsqlBatchCommand command, string prefix)
    {
        if (!pair.StoreHasVersion || finding.StoreRow?.Version is not { } version)
        {
            return "true";
        }

        return $"({prefix}{SinkColumnsText.Commit}, {prefix}{SinkColumnsText.Event}) IS NOT DISTINCT FROM ({Parameter(command, version.Commit)}, {Parameter(command, version.Event)})";
    }

    private static string Parameter(NpgsqlBatchCommand command, long? value)
    {
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        return $"${command.Parameters.Count}";
    }

    private static string Parameter(NpgsqlBatchCommand command, string value)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        return $"${command.Parameters.Count}";
    }
}
