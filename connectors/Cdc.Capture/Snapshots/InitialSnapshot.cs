using System.Data;
using System.Diagnostics;
using Cdc.Capture.Kafka;
using Cdc.Capture.Source;
using Cdc.Capture.Worker;
using Cdc.Schemas.Model;
using Npgsql;

namespace Cdc.Capture.Snapshots;

/// <summary>
/// The initial snapshot, consistent with the new slot: every captured table read in one REPEATABLE READ transaction
/// that imports the slot's exported snapshot, so the stream (from the slot's consistent point) holds exactly the
/// changes the snapshot does not. Rows go out as <c>op=r</c> with Debezium's snapshot markers: <c>first</c> for the
/// very first record, <c>last</c> for the very last, <c>first_in_data_collection</c> / <c>last_in_data_collection</c>
/// at each other table's edges, <c>true</c> otherwise.
/// </summary>
internal sealed class InitialSnapshot(CaptureContext context, RecordEmitter emitter)
{
    /// <returns>Rows emitted (not yet acknowledged: wait on the ledger).</returns>
    public async Task<long> RunAsync(string snapshotName, long consistentPoint, DeliveryUnit unit, CancellationToken cancellationToken)
    {
        if (!snapshotName.All(c => char.IsAsciiHexDigit(c) || c == '-'))
        {
            throw new InvalidOperationException($"unexpected snapshot name '{snapshotName}'");
        }

        var watch = Stopwatch.StartNew();
        await using var connection = await context.Source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var set = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshotName}'", connection, transaction))
        {
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        long? txId;
        await using (var xid = new NpgsqlCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::int8", connection, transaction))
        {
            txId = (long?)await xid.ExecuteScalarAsync(cancellationToken);
        }

        var catalog = new RelationCatalog(context.Source, context.Options.TopicPrefix, context.Options.ValueHandling);
        var tables = await TablesAsync(connection, transaction, cancellationToken);
        var position = new SourcePosition(consistentPoint, consistentPoint, txId, context.Time.GetUtcNow(), "true");
        long rows = 0;
        for (var t = 0; t < tables.Count; t++)
        {
            var shape = await catalog.ResolveAsync(tables[t].Schema, tables[t].Table, cancellationToken);
            if (shape is null)
            {
                continue;
            }

            rows += await ReadTableAsync(connection, transaction, shape, position, isFirstTable: t == 0, isLastTable: t == tables.Count - 1, unit, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Log.SnapshotDone(context.Logger, rows, tables.Count, watch.ElapsedMilliseconds);
        return rows;
    }

    private async Task<long> ReadTableAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TableShape shape, SourcePosition position, bool isFirstTable, bool isLastTable, DeliveryUnit unit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(RelationCatalog.SelectText(shape), connection, transaction) { AllResultTypesAreUnknown = true };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        object?[]? previous = null;
        long count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            object?[] values;
            try
            {
                values = RowText.Values(reader, shape);
            }
            catch (UnsendableRowException e)
            {
                await emitter.Skipped.SkipAsync(shape, ChangeRecords.Key(shape, e.Values), SkippedRows.Unrepresentable, e.Reason, null, unit, null, cancellationToken);
                continue;
            }

            // One row of look-ahead: a row's marker depends on whether another follows.
            if (previous is not null)
            {
                await EmitAsync(shape, previous, Marker(count == 1, isLast: false, isFirstTable, isLastTable), position, unit, cancellationToken);
            }

            previous = values;
            count++;
        }

        if (previous is not null)
        {
            await EmitAsync(shape, previous, Marker(count == 1, isLast: true, isFirstTable, isLastTable), position, unit, cancellationToken);
        }

        return count;
    }

    private static string Marker(bool isFirst, bool isLast, bool isFirstTable, bool isLastTable) =>
        (isFirst, isLast) switch
        {
            (true, _) when isFirstTable => "first",
            (_, true) when isLastTable => "last",
            (true, _) => "first_in_data_collection",
            (_, true) => "last_in_data_collection",
            _ => "true",
        };

    private ValueTask EmitAsync(TableShape shape, object?[] values, string marker, SourcePosition position, DeliveryUnit unit, CancellationToken cancellationToken)
    {
        var change = context.Records.Event(shape, ChangeOperation.Read, null, context.Records.Row(shape, values), position with { Snapshot = marker });
        return emitter.EmitAsync(shape, ChangeRecords.Key(shape, values), change, unit, cancellationToken);
    }

    /// <summary>
    /// Every table the publication streams (the listed ones that can be published, or every publishable table without a
    /// list: docs/design.md#no-silent-loss), a partitioned table as its leaf partitions under their own names, as the
    /// stream publishes their changes; never the signal table unless listed.
    /// </summary>
    private async Task<List<(string Schema, string Table)>> TablesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var listed = context.Setup.Included;
        await using var command = new NpgsqlCommand("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1, 2", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = context.Options.Publication });
        var tables = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = (reader.GetString(0), reader.GetString(1));
            if (table != context.Setup.SignalTable || listed.Contains(table))
            {
                tables.Add(table);
            }
        }

        return tables;
    }
}
