using Cdc.Capture.Configuration;
using Cdc.Capture.Kafka;
using Cdc.Capture.Source;
using Cdc.Capture.Worker;
using Cdc.Common.Postgres;
using Cdc.Schemas.Model;
using Npgsql;

namespace Cdc.Capture.Signals;

/// <summary>
/// Debezium's signal table, watched in the stream, and the incremental snapshots it asks for (DBLog,
/// docs/design.md#invariant-9-repairs-never-beat-the-stream). Per chunk: insert a <c>snapshot-window-open</c> row, read
/// up to <c>SnapshotChunkSize</c> rows in key order, insert a <c>snapshot-window-close</c> row. Every key a streamed
/// change touches between the two watermarks (as they arrive in the stream) is dropped from the chunk; at the close
/// watermark the rest is emitted as <c>op=r</c>, <c>snapshot=incremental</c>. A read therefore never overtakes a newer
/// change of its row.
/// The <c>additional-conditions</c> filter is SQL run as written (as Debezium does): only trusted, privileged roles
/// may insert into the signal table.
/// Progress lives in memory: a restart forgets a running incremental snapshot (send the signal again).
/// Requests are answered one at a time, and each chunk costs a round trip through the stream, so the queue is kept
/// short (a heal of a gap must not fall behind the live stream): a request for a table whose whole-table snapshot is
/// queued and not started is covered by it, a whole-table request replaces the queued filtered ones of its table, and
/// filtered requests of one table queued and not started are merged into one (their filters joined with OR). Each
/// such request is logged. Within one snapshot a full chunk doubles the next one's row limit, up to
/// <see cref="MaxChunkGrowth"/> times <c>SnapshotChunkSize</c> while a chunk stays under <see cref="ChunkByteBudget"/>.
/// </summary>
internal sealed class SignalHandler(CaptureContext context, RecordEmitter emitter)
{
    private const string ExecuteSnapshot = "execute-snapshot";
    private const string WindowOpen = "snapshot-window-open";
    private const string WindowClose = "snapshot-window-close";

    /// <summary>A chunk's row limit grows at most to this many times <c>SnapshotChunkSize</c>.</summary>
    private const int MaxChunkGrowth = 16;

    /// <summary>A chunk's row limit grows only while the rows of the last chunk took under half of this.</summary>
    private const long ChunkByteBudget = 16L << 20;

    private readonly RelationCatalog _catalog = new(context.Source, context.Options.TopicPrefix, context.Options.ValueHandling);
    private readonly List<SnapshotWork> _pending = [];
    private SnapshotChunk? _chunk;
    private bool _startNext;

    /// <summary>A row inserted into the signal table, seen in the stream.</summary>
    public async ValueTask OnSignalRowAsync(TableShape shape, object?[] values, DeliveryUnit unit, long lastCommitLsn, CancellationToken cancellationToken)
    {
        var id = Text(shape, values, "id");
        var type = Text(shape, values, "type");
        var data = Text(shape, values, "data");
        if (id is null || type is null)
        {
            return;
        }

        switch (type)
        {
            case ExecuteSnapshot:
                Log.Signal(context.Logger, id, type, data);
                Enqueue(id, data);
                break;
            case WindowOpen when _chunk is { } open && id == open.WindowId + "-open":
                open.IsOpen = true;
                break;
            case WindowClose when _chunk is { } closing && id == closing.WindowId + "-close":
                await CloseAsync(closing, unit, lastCommitLsn, cancellationToken);
                break;
            case WindowOpen or WindowClose:
                break;
            default:
                Log.SignalIgnored(context.Logger, id, $"type '{type}' is not supported");
                break;
        }
    }

    /// <summary>A streamed change of a captured table: drops its key from an open window's chunk.</summary>
    public void OnStreamed(TableShape shape, object?[] values)
    {
        if (_chunk is { IsOpen: true } chunk && chunk.Shape.QualifiedName == shape.QualifiedName && shape.KeyIndexes.Length > 0)
        {
            chunk.Touched.Add(RowKeys.Text(shape, values));
        }
    }

    /// <summary>After each streamed COMMIT: starts the next chunk when one is due (the watermarks are separate transactions).</summary>
    public async ValueTask AfterCommitAsync(CancellationToken cancellationToken)
    {
        if (!_startNext || _chunk is not null)
        {
            return;
        }

        _startNext = false;
        while (_pending.Count > 0)
        {
            var next = _pending[0];
            var (schema, table) = CaptureConfiguration.QualifiedName("data-collections", next.Collection);
            var shape = await _catalog.ResolveAsync(schema, table, cancellationToken);
            if (shape is null || shape.KeySchema is null)
            {
                Log.SignalIgnored(context.Logger, next.Id, $"{next.Collection} {(shape is null ? "does not exist" : "has no key (neither a primary key nor a unique index of NOT NULL columns)")}");
                _pending.RemoveAt(0);
                continue;
            }

            Start(new SnapshotChunk(Guid.NewGuid().ToString("D"), shape, next.Filter, null, context.Options.SnapshotChunkSize), cancellationToken);
            return;
        }
    }

    private void Enqueue(string id, string? data)
    {
        try
        {
            var request = SnapshotRequest.Parse(id, data);
            foreach (var collection in request.DataCollections)
            {
                Queue(new SnapshotWork(id, collection, request.Filters.GetValueOrDefault(collection)));
            }

            _startNext = true;
        }
        catch (Exception e) when (e is FormatException or Common.Configuration.ConfigurationError)
        {
            Log.SignalIgnored(context.Logger, id, e.Message);
        }
    }

    /// <summary>Adds a request to the queue, folded into the queued, not yet started, requests of its table.</summary>
    private void Queue(SnapshotWork work)
    {
        // The head is running while a chunk is: only the requests behind it can still take in another.
        var waiting = _pending.Skip(_chunk is null ? 0 : 1).Where(w => w.Collection == work.Collection).ToList();
        if (waiting.FirstOrDefault(w => w.Filter is null) is { } whole)
        {
            Log.SnapshotCoalesced(context.Logger, work.Id, work.Collection, whole.Id, "covered by its queued whole-table snapshot");
            return;
        }

        if (work.Filter is null)
        {
            foreach (var covered in waiting)
            {
                _pending.Remove(covered);
                Log.SnapshotCoalesced(context.Logger, covered.Id, work.Collection, work.Id, "covered by a whole-table snapshot queued after it");
            }

            _pending.Add(work);
            return;
        }

        if (waiting.FirstOrDefault() is { } filtered)
        {
            _pending[_pending.IndexOf(filtered)] = filtered with { Filter = $"({filtered.Filter}) OR ({work.Filter})" };
            Log.SnapshotCoalesced(context.Logger, work.Id, work.Collection, filtered.Id, "its filter joined to the queued one's with OR");
            return;
        }

        _pending.Add(work);
    }

    private void Start(SnapshotChunk chunk, CancellationToken cancellationToken)
    {
        _chunk = chunk;
        chunk.Read = Task.Run(() => ReadChunkAsync(chunk, cancellationToken), cancellationToken);
    }

    private async Task CloseAsync(SnapshotChunk chunk, DeliveryUnit unit, long lastCommitLsn, CancellationToken cancellationToken)
    {
        var rows = await chunk.Read;
        var position = new SourcePosition(lastCommitLsn, null, null, context.Time.GetUtcNow(), SourcePosition.Incremental);
        var emitted = 0;
        foreach (var row in rows)
        {
            if (chunk.Touched.Contains(row.Key))
            {
                continue;
            }

            if (row.Unsendable is { } reason)
            {
                await emitter.Skipped.SkipAsync(chunk.Shape, ChangeRecords.Key(chunk.Shape, row.Values), SkippedRows.Unrepresentable, reason, null, unit, null, cancellationToken);
                continue;
            }

            var change = context.Records.Event(chunk.Shape, ChangeOperation.Read, null, context.Records.Row(chunk.Shape, row.Values), position);
            await emitter.EmitAsync(chunk.Shape, ChangeRecords.Key(chunk.Shape, row.Values), change, unit, cancellationToken);
            emitted++;
        }

        Log.ChunkDone(context.Logger, chunk.Shape.QualifiedName, rows.Count, emitted, rows.Count - emitted);
        _chunk = null;
        if (rows.Count == chunk.Limit)
        {
            // More rows may follow: the next chunk starts after this one's last key. Each chunk waits for its close
            // watermark to come through the stream, so under load small chunks make a large table's snapshot crawl.
            var limit = SnapshotChunk.EstimateBytes(rows) * 2 <= ChunkByteBudget
                ? (int)Math.Min((long)chunk.Limit * 2, (long)context.Options.SnapshotChunkSize * MaxChunkGrowth)
                : chunk.Limit;
            Start(new SnapshotChunk(Guid.NewGuid().ToString("D"), chunk.Shape, chunk.Filter, rows[^1].KeyText, limit), cancellationToken);
            return;
        }

        if (_pending.Count > 0)
        {
            _pending.RemoveAt(0);
        }

        _startNext = _pending.Count > 0;
    }

    private async Task<List<SnapshotRow>> ReadChunkAsync(SnapshotChunk chunk, CancellationToken cancellationToken)
    {
        await WatermarkAsync(chunk.WindowId + "-open", WindowOpen, chunk, cancellationToken);
        await UntilEarlierCommitsVisibleAsync(cancellationToken);
        var rows = new List<SnapshotRow>();
        await using (var command = context.Source.CreateCommand(ChunkSql(chunk)))
        {
            command.AllResultTypesAreUnknown = true;
            foreach (var text in chunk.AfterKey ?? [])
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var keyText = chunk.Shape.KeyIndexes.Select(i => RowText.Text(reader, i)!).ToArray();
                try
                {
                    var values = RowText.Values(reader, chunk.Shape);
                    rows.Add(new SnapshotRow(RowKeys.Text(chunk.Shape, values), values, keyText));
                }
                catch (UnsendableRowException e)
                {
                    rows.Add(new SnapshotRow(RowKeys.Text(chunk.Shape, e.Values), e.Values, keyText) { Unsendable = e.Reason });
                }
            }
        }

        await WatermarkAsync(chunk.WindowId + "-close", WindowClose, chunk, cancellationToken);
        return rows;
    }

    /// <summary>
    /// A transaction's commit record reaches the WAL a moment before the transaction becomes visible. One that
    /// committed just before the open watermark is streamed before it (so its keys are not dropped), yet a chunk
    /// read at once might not see it: the read would overtake it. So the read waits until every transaction still in
    /// progress when the watermark was visible has finished (bounded: one that keeps running had not committed, and
    /// is therefore streamed after the watermark). Finished means visible in a snapshot taken now, decided by the proc
    /// array as the chunk's own snapshot is: the commit log marks a transaction committed before it is visible, and
    /// minor releases before PostgreSQL's fix 4822b46 answered <c>pg_xact_status</c> from the commit log alone.
    /// </summary>
    private async Task UntilEarlierCommitsVisibleAsync(CancellationToken cancellationToken)
    {
        await using var snapshot = context.Source.CreateCommand("SELECT pg_current_snapshot()::text");
        var taken = (string)(await snapshot.ExecuteScalarAsync(cancellationToken))!;
        var deadline = context.Time.GetTimestamp();
        while (context.Time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(1))
        {
            await using var pending = context.Source.CreateCommand(
                "SELECT EXISTS (SELECT 1 FROM pg_snapshot_xip($1::pg_snapshot) x WHERE NOT pg_visible_in_snapshot(x, pg_current_snapshot()))");
            pending.Parameters.Add(new NpgsqlParameter<string> { TypedValue = taken });
            if (!(bool)(await pending.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }

            await Task.Delay(1, cancellationToken);
        }
    }

    private string ChunkSql(SnapshotChunk chunk)
    {
        var shape = chunk.Shape;
        // Qualified: ORDER BY must name the table's column, never an output column of the same name.
        var keys = shape.KeyIndexes.Select(i => $"{PgIdentifier.Quote(shape.Schema, shape.Table)}.{PgIdentifier.Quote(shape.Columns[i].Name)}").ToList();
        var conditions = new List<string>();
        if (chunk.Filter is { } filter)
        {
            conditions.Add($"({filter})");
        }

        if (chunk.AfterKey is not null)
        {
            // format_type() text is PostgreSQL's own, safely quoted, type name.
            var bounds = shape.KeyIndexes.Select((i, n) => $"CAST(${n + 1} AS {shape.Columns[i].PgType})");
            conditions.Add($"({string.Join(", ", keys)}) > ({string.Join(", ", bounds)})");
        }

        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        return $"{RelationCatalog.SelectText(shape)}{where} ORDER BY {string.Join(", ", keys)} LIMIT {chunk.Limit}";
    }

    private async Task WatermarkAsync(string id, string type, SnapshotChunk chunk, CancellationToken cancellationToken)
    {
        var (schema, table) = context.Setup.SignalTable;
        await using var command = context.Source.CreateCommand($"INSERT INTO {PgIdentifier.Quote(schema, table)} (id, type, data) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.Shape.QualifiedName });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Text(TableShape shape, object?[] values, string column)
    {
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            if (shape.Columns[i].Name == column)
            {
                return values[i] as string;
            }
        }

        return null;
    }
}
