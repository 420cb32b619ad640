using Cdc.Capture.Kafka;
using Cdc.Capture.Signals;
using Cdc.Capture.Worker;
using Cdc.Schemas.Model;
using Cdc.Schemas.Transactions;
using Npgsql.Replication.PgOutput.Messages;

namespace Cdc.Capture.Source;

/// <summary>
/// Turns one session's pgoutput messages into Debezium records: each transaction becomes a <see cref="DeliveryUnit"/>
/// sealed at COMMIT with its end LSN, the LSN that may be confirmed once Kafka acknowledged the unit and all before it.
/// </summary>
internal sealed class ChangeStream
{
    private readonly CaptureContext _context;
    private readonly RelationCatalog _catalog;
    private readonly RecordEmitter _emitter;
    private readonly DeliveryLedger _ledger;
    private readonly SignalHandler _signals;
    private readonly Resnapshots _resnapshots;
    private readonly HashSet<string>? _included;
    private readonly string _signalTable;
    private DeliveryUnit? _unit;
    private long? _txId;
    private DateTimeOffset _commitTime;
    private long _lastCommitLsn;
    private volatile bool _inTransaction;
    private TransactionCounter? _transaction;

    /// <summary>The <c>reason</c> label of a re-snapshot a schema change asked for.</summary>
    public const string SchemaChangeReason = "schema-change";

    public ChangeStream(CaptureContext context, RelationCatalog catalog, RecordEmitter emitter, DeliveryLedger ledger, SignalHandler signals, Resnapshots resnapshots, long lastCommitLsn)
    {
        _resnapshots = resnapshots;
        _context = context;
        _catalog = catalog;
        _emitter = emitter;
        _ledger = ledger;
        _signals = signals;
        _lastCommitLsn = lastCommitLsn;
        var included = context.Setup.Included;
        _included = included.Count == 0 ? null : [.. included.Select(t => $"{t.Schema}.{t.Table}")];
        _signalTable = $"{context.Setup.SignalTable.Schema}.{context.Setup.SignalTable.Table}";
    }

    /// <summary>True between BEGIN and COMMIT: the server's keepalive position must not be confirmed then.</summary>
    public bool InTransaction => _inTransaction;

    public async ValueTask HandleAsync(PgOutputReplicationMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case BeginMessage begin:
                _inTransaction = true;
                _txId = begin.TransactionXid;
                _commitTime = new DateTimeOffset(begin.TransactionCommitTimestamp.ToUniversalTime(), TimeSpan.Zero);
                _unit = _ledger.Open(_commitTime);
                if (_context.Options.TransactionMetadata && _txId is { } xid)
                {
                    var commitMs = _commitTime.ToUnixTimeMilliseconds();
                    _transaction = new TransactionCounter(xid, commitMs);
                    await _emitter.EmitTransactionAsync(_context.Options.TransactionTopic, TransactionMetadata.Begin(xid, Lsn(begin), commitMs), _unit, cancellationToken);
                }

                break;
            case RelationMessage relation:
                var before = _catalog.TryGet(relation.RelationId, out var known) ? known : null;
                var shape = await _catalog.ResolveAsync(
                    relation.RelationId,
                    relation.Namespace,
                    relation.RelationName,
                    [.. relation.Columns.Select(c => (c.ColumnName, c.DataTypeId, c.TypeModifier))],
                    cancellationToken);
                Log.Relation(_context.Logger, shape.QualifiedName, shape.Columns.Count, string.Join(",", shape.KeyIndexes.Select(i => shape.Columns[i].Name)));
                if (before is not null && await ResnapshotIfNeededAsync(before, shape, null, cancellationToken))
                {
                    await SaveShapesAsync(cancellationToken);
                }

                break;
            case InsertMessage insert:
                await UnlessUnsendableAsync(insert, InsertAsync(insert, cancellationToken), cancellationToken);
                break;
            case UpdateMessage update:
                await UnlessUnsendableAsync(update, UpdateAsync(update, cancellationToken), cancellationToken);
                break;
            case DeleteMessage delete:
                await UnlessUnsendableAsync(delete, DeleteAsync(delete, cancellationToken), cancellationToken);
                break;
            case TruncateMessage truncate:
                await TruncateAsync(truncate, cancellationToken);
                break;
            case CommitMessage commit:
                _lastCommitLsn = (long)(ulong)commit.TransactionEndLsn;
                if (_transaction is { } ended && _unit is not null)
                {
                    await _emitter.EmitTransactionAsync(_context.Options.TransactionTopic, ended.End(_lastCommitLsn), _unit, cancellationToken);
                }

                _transaction = null;
                _unit?.Seal(_lastCommitLsn);
                _unit = null;
                _inTransaction = false;
                await _signals.AfterCommitAsync(cancellationToken);
                break;
        }
    }

    /// <summary>
    /// A row with a value the configured format cannot carry is recorded as skipped in this transaction's unit, never a
    /// wedge: the stream goes on, and the row is re-read once the mode allows (docs/design.md#no-silent-loss).
    /// </summary>
    private async ValueTask UnlessUnsendableAsync(PgOutputReplicationMessage message, ValueTask change, CancellationToken cancellationToken)
    {
        try
        {
            await change;
        }
        catch (UnsendableRowException e)
        {
            if (!Captured(e.Shape))
            {
                return;
            }

            await _emitter.Skipped.SkipAsync(e.Shape, ChangeRecords.Key(e.Shape, e.Values), Kafka.SkippedRows.Unrepresentable, e.Reason, null, Unit, Lsn(message), cancellationToken);
        }
    }

    /// <summary>
    /// A schema change that leaves rows already sent wrong (docs/design.md#schema-changes) re-reads the table through
    /// the one re-snapshot path, so no store stays behind silently; a renamed table's old name is reported, since its
    /// topic gets no more changes and the stores keep its table.
    /// </summary>
    /// <param name="when">Said before the reason (<c>while the connector was stopped</c>), or null.</param>
    /// <returns>Whether the shape changed in a way that needs the table re-read.</returns>
    private async Task<bool> ResnapshotIfNeededAsync(TableShape before, TableShape after, string? when, CancellationToken cancellationToken)
    {
        if (ShapeChange.ResnapshotReason(before, after) is not { } found)
        {
            return false;
        }

        var reason = when is null ? found : $"{when}: {found}";
        if (before.QualifiedName != after.QualifiedName)
        {
            Log.TableRenamed(_context.Logger, before.QualifiedName, after.QualifiedName, before.Topic);
        }

        if (!Captured(after))
        {
            Log.SchemaChangeNotCaptured(_context.Logger, after.QualifiedName, reason);
            return true;
        }

        Log.SchemaChanged(_context.Logger, after.QualifiedName, reason);
        await _resnapshots.RequestAsync([after.QualifiedName], SchemaChangeReason, cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>
    /// At start: each table whose shape differs from the one last emitted (<paramref name="saved"/>, kept with the slot's
    /// state) changed while the connector was stopped, and is re-read like a schema change met in the stream; then the
    /// current shapes are saved for the next start (docs/design.md#schema-changes).
    /// </summary>
    public async Task CompareWithSavedAsync(string? saved, CancellationToken cancellationToken)
    {
        if (saved is not null)
        {
            foreach (var (relationId, before) in SavedShapes.Parse(saved, _catalog.TopicPrefix, _context.Options.ValueHandling))
            {
                if (_catalog.TryGet(relationId, out var current))
                {
                    await ResnapshotIfNeededAsync(before, current, "while the connector was stopped", cancellationToken);
                }
            }
        }

        await SaveShapesAsync(cancellationToken);
    }

    private Task SaveShapesAsync(CancellationToken cancellationToken) => _context.Setup.SaveShapesAsync(SavedShapes.Serialize(_catalog.Shapes), cancellationToken);

    /// <summary>Listed, or a partition of a listed partitioned table (the parent stands for its partitions, present and future).</summary>
    private bool Captured(TableShape shape) =>
        _included is null ? shape.QualifiedName != _signalTable : _included.Contains(shape.QualifiedName) || (shape.PartitionRoot is { } root && _included.Contains(root));

    private async ValueTask InsertAsync(InsertMessage insert, CancellationToken cancellationToken)
    {
        var shape = Shape(insert.Relation.RelationId);
        var values = await TupleReader.ReadAsync(insert.NewRow, shape, cancellationToken);
        if (shape.QualifiedName == _signalTable)
        {
            await _signals.OnSignalRowAsync(shape, values, Unit, _lastCommitLsn, cancellationToken);
        }

        if (!Captured(shape))
        {
            return;
        }

        _signals.OnStreamed(shape, values);
        await EmitAsync(shape, ChangeOperation.Create, null, values, insert, cancellationToken);
    }

    private async ValueTask UpdateAsync(UpdateMessage update, CancellationToken cancellationToken)
    {
        var shape = Shape(update.Relation.RelationId);
        object?[]? old = update switch
        {
            FullUpdateMessage full => await TupleReader.ReadAsync(full.OldRow, shape, cancellationToken),
            IndexUpdateMessage index => await TupleReader.ReadAsync(index.Key, shape, cancellationToken),
            _ => null,
        };
        var values = await TupleReader.ReadAsync(update.NewRow, shape, cancellationToken);
        if (!Captured(shape))
        {
            return;
        }

        if (old is not null && shape.KeySchema is not null && !ChangeRecords.SameKey(shape, old, values))
        {
            // A primary-key change: delete + tombstone for the old key, create for the new one (as Debezium does).
            _signals.OnStreamed(shape, old);
            _signals.OnStreamed(shape, values);
            await DeleteRowAsync(shape, old, update, cancellationToken);
            await EmitAsync(shape, ChangeOperation.Create, null, values, update, cancellationToken);
            return;
        }

        _signals.OnStreamed(shape, values);
        await EmitAsync(shape, ChangeOperation.Update, update is FullUpdateMessage ? old : null, values, update, cancellationToken);
    }

    private async ValueTask DeleteAsync(DeleteMessage delete, CancellationToken cancellationToken)
    {
        var shape = Shape(delete.Relation.RelationId);
        var old = delete switch
        {
            FullDeleteMessage full => await TupleReader.ReadAsync(full.OldRow, shape, cancellationToken),
            KeyDeleteMessage key => await TupleReader.ReadAsync(key.Key, shape, cancellationToken),
            _ => new object?[shape.Columns.Count],
        };
        if (!Captured(shape))
        {
            return;
        }

        _signals.OnStreamed(shape, old);
        await DeleteRowAsync(shape, old, delete, cancellationToken);
    }

    /// <summary>
    /// One <c>op=t</c> record per captured table, as Debezium emits it (<c>skipped.operations=none</c>): a null key
    /// (so it lands on any partition) and only <c>source</c>, <c>op</c> and the timestamps (docs/design.md#truncates).
    /// </summary>
    private async ValueTask TruncateAsync(TruncateMessage truncate, CancellationToken cancellationToken)
    {
        foreach (var relation in truncate.Relations)
        {
            var shape = Shape(relation.RelationId);
            if (!Captured(shape))
            {
                continue;
            }

            var change = _context.Records.Event(shape, ChangeOperation.Truncate, null, null, Position(truncate));
            await _emitter.EmitAsync(shape, null, change, Unit, cancellationToken);
        }
    }

    private async ValueTask DeleteRowAsync(TableShape shape, object?[] old, PgOutputReplicationMessage message, CancellationToken cancellationToken)
    {
        var key = ChangeRecords.Key(shape, old);
        var change = Change(shape, ChangeOperation.Delete, _context.Records.Row(shape, old), null, message);
        await _emitter.EmitAsync(shape, key, change, Unit, cancellationToken);
        if (key is not null)
        {
            await _emitter.EmitTombstoneAsync(shape, key, Unit, cancellationToken);
        }
    }

    private async ValueTask EmitAsync(TableShape shape, ChangeOperation op, object?[]? before, object?[] after, PgOutputReplicationMessage message, CancellationToken cancellationToken)
    {
        var change = Change(shape, op, before is null ? null : _context.Records.Row(shape, before), _context.Records.Row(shape, after), message);
        await _emitter.EmitAsync(shape, ChangeRecords.Key(shape, after), change, Unit, cancellationToken);
    }

    /// <summary>A change event with its <c>transaction</c> block, counted per event as Debezium's TransactionMonitor does (tombstones are not events).</summary>
    private ChangeEvent Change(TableShape shape, ChangeOperation op, RowImage? before, RowImage? after, PgOutputReplicationMessage message) =>
        _context.Records.Event(shape, op, before, after, Position(message), _transaction?.Next(shape.QualifiedName, Lsn(message)));

    private DeliveryUnit Unit => _unit ?? throw new InvalidOperationException("a change outside BEGIN ... COMMIT");

    private SourcePosition Position(PgOutputReplicationMessage message) =>
        new(_lastCommitLsn, Lsn(message), _txId, _commitTime, SourcePosition.NotSnapshot);

    private static long Lsn(PgOutputReplicationMessage message) => (long)(ulong)message.WalStart;

    private TableShape Shape(uint relationId) =>
        _catalog.TryGet(relationId, out var shape) ? shape : throw new InvalidOperationException($"a change for relation {relationId} before its Relation message");
}
