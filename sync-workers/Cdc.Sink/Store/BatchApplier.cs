using Cdc.Sink.Planning;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Transactions;
using Cdc.Store.Writes;
using Npgsql;
using NpgsqlTypes;

namespace Cdc.Sink.Store;

/// <summary>
/// Applies a <see cref="BatchPlan"/> in one transaction: rows are COPYed into per-table staging tables, merged by one
/// guarded statement per table and shape, and the partitions' next offsets are stored in the same transaction
/// (docs/design.md#invariant-3-exactly-once-effect-in-each-store), so a batch is either wholly applied, offsets
/// included, or not at all. Each offset is stored with its topic's id (<paramref name="topicIds"/>: the incarnation it
/// counts in), so a recreated topic is recognised (docs/design.md#no-silent-loss).
/// </summary>
internal sealed class BatchApplier(MetadataTables metadata, string consumerGroup, Func<string, string?>? topicIds = null)
{
    private readonly GuardedWrite _sql = new(metadata);
    private readonly TransactionStore _transactions = new(metadata, consumerGroup);

    /// <summary>Stores the transaction events a batch finished with; off with transaction tracking (<c>Transactions:Enabled=false</c>).</summary>
    public bool TrackTransactions { get; init; } = true;

    /// <param name="commit">False: a probe, rolled back (finding a poison record without showing the rest of its transaction).</param>
    public async Task ApplyAsync(StoreConnection store, BatchPlan plan, CancellationToken cancellationToken, bool commit = true)
    {
        var staged = new List<(TableChanges Changes, List<Shape> Shapes, string Stage)>();
        foreach (var changes in plan.Tables.Values)
        {
            var shapes = Shape.Of(changes);
            var stage = shapes.Count == 0 ? "" : await EnsureStageAsync(store, changes.Table, cancellationToken);
            staged.Add((changes, shapes, stage));
        }

        var connection = store.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var writes = new List<(NpgsqlBatchCommand Command, TableChanges Changes, int Rows)>();
        foreach (var (changes, shapes, stage) in staged)
        {
            if (shapes.Count > 0)
            {
                await CopyAsync(connection, changes.Table, stage, shapes, cancellationToken);
            }

            foreach (var shape in shapes)
            {
                var command = Command(
                    _sql.Write(changes.Target, changes.Table.KeyColumns, shape.Kind, shape.Columns, GuardedWrite.Staged(stage, shape.Id), WriteGuard.Newer),
                    changes.Target.QualifiedName);
                batch.BatchCommands.Add(command);
                writes.Add((command, changes, Writable(changes, shape)));
            }

            if (changes.Truncate is not null || changes.TruncateAll)
            {
                batch.BatchCommands.Add(Command(
                    _sql.Truncate(changes.Target, changes.TruncateAll),
                    changes.Target.QualifiedName,
                    changes.Truncate?.CommitLsn,
                    changes.Truncate?.EventLsn));
            }
        }

        if (TrackTransactions && plan.TransactionEvents.Count > 0)
        {
            foreach (var command in _transactions.EventsCommands(plan.TransactionEvents, topicIds))
            {
                batch.BatchCommands.Add(command);
            }
        }

        if (plan.Progress.Count > 0)
        {
            batch.BatchCommands.Add(OffsetsCommand(plan.Progress.Values.ToList()));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!commit)
        {
            await transaction.RollbackAsync(cancellationToken);
            return;
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var (command, changes, rows) in writes)
        {
            // Each statement reports the rows it wrote (a hard delete: the tombstones it left); the rest of its rows
            // were older than or equal to what the store holds for them (docs/design.md#invariant-4-newer-always-wins).
            changes.Superseded += Math.Max(0, rows - (int)command.RecordsAffected);
        }
    }

    // The rows of a shape its statement counts: a hard delete counts the tombstones it leaves, which versionless
    // deletes never do.
    private static int Writable(TableChanges changes, Shape shape) =>
        shape.Kind == ChangeKind.Delete && changes.Target.DeleteMode == Cdc.Store.Mapping.DeleteMode.Hard
            ? shape.Rows.Count(r => r.Version is not null)
            : shape.Rows.Count;

    private static async Task<string> EnsureStageAsync(StoreConnection store, TableInfo table, CancellationToken cancellationToken)
    {
        var signature = $"{table.Schema}\u001f{table.Table}\u001f{string.Join('\u001f', table.DataColumns.Select(c => $"{c.Name}:{c.PgType}"))}";
        if (store.Stages.TryGetValue(signature, out var stage))
        {
            return stage;
        }

        // Created outside the batch's transaction, so a rolled-back batch cannot leave the cache pointing at nothing.
        stage = store.NewStageName();
        await using (var command = new NpgsqlCommand(GuardedWrite.CreateStage(stage, table), store.Connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        store.Stages[signature] = stage;
        return stage;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, TableInfo table, string stage, List<Shape> shapes, CancellationToken cancellationToken)
    {
        var columns = table.DataColumns.Select(c => (c.Name, Format: PgText.ForColumn(c.PgType))).ToList();
        var text = new CopyTextWriter();
        await using var writer = await connection.BeginTextImportAsync(GuardedWrite.Copy(stage, table), cancellationToken);
        foreach (var shape in shapes)
        {
            var whole = shape.Columns.Count == columns.Count;
            foreach (var row in shape.Rows)
            {
                text.Integer(shape.Id);
                text.Field(row.RowKey);
                text.Integer(row.Version?.CommitLsn);
                text.Integer(row.Version?.EventLsn);
                foreach (var column in columns)
                {
                    if (!row.Values.TryGetValue(column.Name, out var value))
                    {
                        // Shape.Of puts a row in a shape of every column only when it has a value for each.
                        text.Field(whole ? throw new InvalidOperationException($"row {row.RowKey} has no value for column {column.Name} of its shape") : null);
                    }
                    else if (value is long or int or short)
                    {
                        // Every column's formatter renders an integer as PgText.Format does: its invariant digits.
                        text.Integer(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Field(column.Format(value));
                    }
                }

                text.EndRow();
                if (text.Length > 1 << 20)
                {
                    await text.FlushToAsync(writer, cancellationToken);
                }
            }
        }

        await text.FlushToAsync(writer, cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter is null
                ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = DBNull.Value }
                : new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    private NpgsqlBatchCommand OffsetsCommand(List<PartitionProgress> progress) => Command(
        _sql.Offsets(),
        consumerGroup,
        progress.Select(p => p.Topic).ToArray(),
        progress.Select(p => p.Partition).ToArray(),
        progress.Select(p => p.NextOffset).ToArray(),
        progress.Select(p => p.Version?.CommitLsn).ToArray(),
        progress.Select(p => p.Version?.EventLsn).ToArray(),
        progress.Select(p => p.SourceTsMs).ToArray(),
        progress.Select(p => topicIds?.Invoke(p.Topic)).ToArray());
}
