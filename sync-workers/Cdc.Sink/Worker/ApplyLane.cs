using System.Diagnostics;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Store.Failures;

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

    private async Task ApplyIsolatingAsync(IReadOnlyList<DecodedRecord> records, Dictionary<(string, int), PartitionProgress> progress, CancellationToken cancellationToken)
    {
        BatchPlan plan;
        try
        {
            // Planning runs the DDL events ask for: DDL the store refuses for a record's data (a numeric precision
            // over 1000, rows that do not fit a widened type) is isolated and dead-lettered like a failed apply.
            plan = await context.Preparer.PlanAsync(records, cancellationToken);
            await DeadLetterAsync(plan.Failures, cancellationToken);
            _connection ??= new StoreConnection(await context.Store.OpenConnectionAsync(cancellationToken));
            await context.Applier.ApplyAsync(_connection, plan, cancellationToken);
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
                var poisoned = records[0] with
                {
                    Change = null,
                    Failure = new RecordFailure(records[0].Record, FailureStage.TaskPut, e) { Transaction = TrackedEvents.Of(records[0], failed: true) },
                };
                await ApplyIsolatingAsync([poisoned], progress, cancellationToken);
                return;
            }

            Log.Splitting(context.Logger, records.Count, e.Message);
            var half = records.Count / 2;
            await ApplyIsolatingAsync(records.Take(half).ToList(), progress, cancellationToken);
            await ApplyIsolatingAsync(records.Skip(half).ToList(), progress, cancellationToken);
            return;
        }

        Record(plan, progress);
    }

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
