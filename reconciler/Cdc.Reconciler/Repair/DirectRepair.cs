using System.Data;
using Cdc.Common.Postgres;
using Cdc.Reconciler.Compare;
using Cdc.Reconciler.Schema;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Writes;
using Npgsql;

namespace Cdc.Reconciler.Repair;

/// <summary>
/// Writes the primary's current rows into the store and removes extra rows, without ever beating the stream
/// (docs/design.md#invariant-9-repairs-never-beat-the-stream), through the sink's own guarded write
/// (<see cref="GuardedWrite"/>, <see cref="WriteGuard.Unchanged"/>). The primary's rows are read in one REPEATABLE READ
/// snapshot, as their canonical texts: what the sink's mapping makes of them, in the store column's input syntax. Each
/// write keeps the version the store row had when it was compared (a row that was absent gets (0, 0), below any real
/// change), so any change the stream applies later is newer and wins under the sink's guard; and each write happens
/// only if the store row still has that version: if the stream changed the row since, the repair steps aside. All
/// writes of a table commit in one store transaction, like a sink batch.
/// </summary>
internal sealed class DirectRepair(NpgsqlDataSource primary, NpgsqlDataSource store, MetadataTables metadata)
{
    public const string Repaired = "repaired";
    public const string SkippedChanged = "skipped: the store row changed since the check (the stream wins)";
    public const string SkippedPresent = "skipped: the row exists on the primary again";
    public const string SkippedGone = "skipped: the row is gone from the primary";
    public const string SkippedUnversioned = "skipped: the store table has no version columns (the sink has not written it), so a write could not be guarded";

    private readonly GuardedWrite _write = new(metadata);

    public async Task ApplyAsync(TablePair pair, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        if (!pair.StoreHasVersion)
        {
            foreach (var finding in findings)
            {
                finding.Repair = SkippedUnversioned;
            }

            return;
        }

        var current = await ReadPrimaryAsync(pair, findings, cancellationToken);
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var planned = new List<Finding>();
        foreach (var finding in findings)
        {
            var row = current.GetValueOrDefault(finding.Key);
            if (finding.Kind == DriftKind.Extra ? row is not null : row is null)
            {
                finding.Repair = finding.Kind == DriftKind.Extra ? SkippedPresent : SkippedGone;
                continue;
            }

            batch.BatchCommands.Add(finding.Kind == DriftKind.Extra ? Remove(pair, finding) : Write(pair, finding, row!));
            planned.Add(finding);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var i = 0; i < planned.Count; i++)
        {
            planned[i].Repair = batch.BatchCommands[i].RecordsAffected > 0 ? Repaired : SkippedChanged;
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The primary's rows of the findings' keys, by key, from one snapshot.</summary>
    private async Task<Dictionary<string, SideRow>> ReadPrimaryAsync(TablePair pair, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        await using var connection = await primary.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = new NpgsqlCommand(null, connection, transaction);
        var rows = await SideReader.FetchKeysAsync(command, pair, primary: true, [.. findings.Select(f => f.KeyValues)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows.DistinctBy(r => r.Key).ToDictionary(r => r.Key, StringComparer.Ordinal);
    }

    /// <summary>The primary's row over the store row, under the version the store row had (absent: (0, 0)).</summary>
    private NpgsqlBatchCommand Write(TablePair pair, Finding finding, SideRow row)
    {
        var version = finding.StoreRow?.Version ?? new RowVersion(0, 0);
        return Command(pair, ChangeKind.Upsert, pair.Columns, row.Values, version);
    }

    /// <summary>An extra row deleted (or flagged deleted) if it still has the version it was compared with.</summary>
    private NpgsqlBatchCommand Remove(TablePair pair, Finding finding) =>
        Command(pair, ChangeKind.Delete, pair.Keys, [.. finding.KeyValues], finding.StoreRow?.Version ?? new RowVersion(null, null));

    private NpgsqlBatchCommand Command(TablePair pair, ChangeKind kind, IReadOnlyList<ColumnPair> columns, IReadOnlyList<string?> values, RowVersion version)
    {
        var command = new NpgsqlBatchCommand();
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pair.Target.QualifiedName });
        var row = new List<string>();
        foreach (var (column, value) in columns.Zip(values))
        {
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = value });
            row.Add($"${command.Parameters.Count}::{column.Store.PgType}");
        }

        foreach (var part in new[] { version.Commit, version.Event })
        {
            command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = part, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            row.Add($"${command.Parameters.Count}::bigint");
        }

        var names = columns.Select(c => PgIdentifier.Quote(c.Store.Name)).Append(PgIdentifier.Quote(SinkColumns.CommitLsn)).Append(PgIdentifier.Quote(SinkColumns.EventLsn));
        var source = new WriteSource($"(VALUES ({string.Join(", ", row)})) AS s ({string.Join(", ", names)})", "true");
        command.CommandText = _write.Write(pair.Target, pair.Store.KeyColumns, kind, [.. columns.Select(c => c.Store.Name)], source, WriteGuard.Unchanged);
        return command;
    }
}
