using System.Diagnostics;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Store.Failures;
using Cdc.Store.Transactions;

namespace Cdc.Sink.Worker;

/// <summary>
/// Applies the records of a fixed set of partitions on its own connection, one transaction per batch. A data error
/// splits the batch in halves, in offset order, until the bad record stands alone; that record is dead-lettered and the
/// rest applied (docs/design.md#invariant-6-poison-never-blocks-never-vanishes). Transient and store-wide failures
/// propagate unchanged: the worker retries them, pausing its partitions
/// (docs/design.md#invariant-7-transient-faults-pause-they-dont-crash).
/// </summary>
internal sealed class ApplyLane(ApplyLaneContext context) : IAsyncDisposable
{
    private readonly HashSet<(string Topic, int Partition, long Offset)> _deadLettered = [];
    private StoreConnection? _connection;
    private IReadOnlyList<SinkRecord>? _decodedFrom;
    private List<DecodedRecord> _decoded = [];
    private IReadOnlyList<TransactionEvent> _extraEvents = [];

    /// <summary>
    /// The next <see cref="ApplyAsync"/> of exactly <paramref name="records"/> uses these decoded records (decoded by the
    /// worker already), and stores <paramref name="extraEvents"/> (events proven never to arrive) with its rows.
    /// </summary>
    public void Prime(IReadOnlyList<SinkRecord> records, List<DecodedRecord> decoded, IReadOnlyList<TransactionEvent> extraEvents)
    {
        _decodedFrom = records;
        _decoded = decoded;
        _extraEvents = extraEvents;
    }

    /// <returns>Progress per partition of what was applied.</returns>
    public async Task<IReadOnlyCollection<PartitionProgress>> ApplyAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var decoded = await DecodeOnceAsync(records, cancellationToken);
        var progress = new Dictionary<(string, int), PartitionProgress>();
        await ApplyIsolatingAsync(decoded, progress, cancellationToken);
        _deadLettered.Clear();
        _decodedFrom = null;
        _decoded = [];
        _extraEvents = [];
        context.Metrics.Batches.Add(1);
        context.Metrics.CountProcessed(records.Count);
        context.Metrics.BatchSize.Record(records.Count);
        context.Metrics.ApplyDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        Log.Applied(context.Logger, records.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return progress.Values;
    }

    /// <summary>
    /// A batch retried after a store or registry failure is the same list (the worker only ever removes revoked
    /// records from it): its records were decoded on the first attempt and are not decoded again.
    /// </summary>
    private async Task<List<DecodedRecord>> DecodeOnceAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(records, _decodedFrom) && _decoded.Count == records.Count)
        {
            return _decoded;
        }

        await context.Decoder.PrepareAsync(records, cancellationToken);
        _decoded = records.Select(context.Decoder.Decode).ToList();
        _decodedFrom = records;
        return _decoded;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task ApplyIsolatingAsync(IReadOnlyList<DecodedRecord> records, Dictionary<(string, int), PartitionProgress> progress, CancellationToken cancellationToken, bool probed = false)
    {
        BatchPlan plan;
        try
        {
            plan = await ApplyOnceAsync(records, commit: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ResetConnectionAsync();
            context.Preparer.Catalog.InvalidateAll();
            if (StoreFailures.Classify(e) != FailureKind.Data)
            {
                throw;
            }

            if (records.Count == 1)
            {
                await ApplyIsolatingAsync([Poisoned(records[0], e)], progress, cancellationToken);
                return;
            }

            if (context.Atomic && !probed)
            {
                // Whole or not at all: the poison is found by probes that are rolled back, then the batch is applied
                // once, in one transaction, with the poison dead-lettered.
                var poison = new Dictionary<DecodedRecord, Exception>(ReferenceEqualityComparer.Instance);
                await ProbeAsync(records, poison, cancellationToken);
                if (poison.Count > 0)
                {
                    await ApplyIsolatingAsync(records.Select(r => poison.TryGetValue(r, out var error) ? Poisoned(r, error) : r).ToList(), progress, cancellationToken, probed: true);
                    return;
                }
            }

            Log.Splitting(context.Logger, records.Count, e.Message);
            var half = records.Count / 2;
            await ApplyIsolatingAsync(records.Take(half).ToList(), progress, cancellationToken);
            await ApplyIsolatingAsync(records.Skip(half).ToList(), progress, cancellationToken);
            return;
        }

        Record(plan, progress);
    }

    /// <summary>
    /// Plans and applies <paramref name="records"/> in one store transaction. Planning runs the DDL events ask for: DDL
    /// the store refuses for a record's data (a numeric precision over 1000, rows that do not fit a widened type) is
    /// isolated and dead-lettered like a failed apply.
    /// </summary>
    private async Task<BatchPlan> ApplyOnceAsync(IReadOnlyList<DecodedRecord> records, bool commit, CancellationToken cancellationToken)
    {
        var plan = await context.Preparer.PlanAsync(records, cancellationToken);
        if (commit)
        {
            await DeadLetterAsync(plan.Failures, cancellationToken);
            plan.TransactionEvents.AddRange(_extraEvents);
        }

        _connection ??= new StoreConnection(await context.Store.OpenConnectionAsync(cancellationToken));
        await context.Applier.ApplyAsync(_connection, plan, cancellationToken, commit);
        if (commit)
        {
            _extraEvents = [];
            context.ChangedTransactions?.Add(plan.TransactionEvents.Select(e => e.Xid));
        }

        return plan;
    }

    /// <summary>Halves <paramref name="records"/> in rolled-back transactions until each record that fails alone stands alone.</summary>
    private async Task ProbeAsync(IReadOnlyList<DecodedRecord> records, Dictionary<DecodedRecord, Exception> poison, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyOnceAsync(records, commit: false, cancellationToken);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException && StoreFailures.Classify(e) == FailureKind.Data)
        {
            await ResetConnectionAsync();
            context.Preparer.Catalog.InvalidateAll();
            if (records.Count == 1)
            {
                poison[records[0]] = e;
                return;
            }
        }

        var half = records.Count / 2;
        await ProbeAsync(records.Take(half).ToList(), poison, cancellationToken);
        await ProbeAsync(records.Skip(half).ToList(), poison, cancellationToken);
    }

    private static DecodedRecord Poisoned(DecodedRecord record, Exception error) => record with
    {
        Change = null,
        Failure = new RecordFailure(record.Record, FailureStage.TaskPut, error) { Transaction = TrackedEvents.Of(record, failed: true) },
    };

    private async Task DeadLetterAsync(List<RecordFailure> failures, CancellationToken cancellationToken)
    {
        var fresh = failures.Where(f => !_deadLettered.Contains((f.Record.Topic, f.Record.Partition, f.Record.Offset))).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        // Marked only once the broker has them: a publish that fails is retried with the batch, never skipped.
        await context.DeadLetters.PublishAsync(fresh, cancellationToken);
        foreach (var failure in fresh)
        {
            _deadLettered.Add((failure.Record.Topic, failure.Record.Partition, failure.Record.Offset));
            var stage = failure.Stage.ConnectName();
            context.Metrics.DeadLetters.Add(1, new("topic", failure.Record.Topic), new("stage", stage));
            context.Metrics.CountFailed();
            Log.DeadLettered(context.Logger, failure.Record.Topic, failure.Record.Partition, failure.Record.Offset, stage, failure.Error.Message);
        }
    }

    private void Record(BatchPlan plan, Dictionary<(string, int), PartitionProgress> progress)
    {
        foreach (var (key, p) in plan.Progress)
        {
            if (!progress.TryGetValue(key, out var total) || total.NextOffset < p.NextOffset)
            {
                progress[key] = p;
            }
        }

        foreach (var table in plan.Tables.Values)
        {
            foreach (var (op, count) in table.EventsByOp)
            {
                context.Metrics.EventsApplied.Add(count, new("table", table.Target.QualifiedName), new("op", op));
            }

            context.Superseded.Report(table.Target.QualifiedName, table.Superseded);
        }

        context.Metrics.Skipped.Add(plan.Skipped);
        var now = context.Time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var ts in plan.SourceTimestamps)
        {
            context.Metrics.EndToEndLatency.Record(Math.Max(0, now - ts) / 1000.0);
        }
    }

    private async Task ResetConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
