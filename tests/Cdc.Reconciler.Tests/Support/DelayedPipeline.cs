using System.Collections.Concurrent;
using System.Diagnostics;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests.Support;

/// <summary>
/// A writer on the primary and a pipeline that applies each change to the store a little later, with the sink's
/// version guard, as the sink does: the change's WAL position (read after its commit) as the row's version, and the
/// position applied stored in <c>cdc.offsets</c> with it (the reconciler's wait without Kafka reads it). The writer
/// changes rows 1..<paramref name="rows"/> in turn: with many rows each is changed once, so a difference is only ever
/// "not applied yet"; with few, a row is changed again before its last change was applied.
/// </summary>
internal sealed class DelayedPipeline(ReconcileBed bed, TimeSpan delay, int rows = 20_000) : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<(long Id, string Note, long Lsn, long Due)> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _applier;
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public async Task WriteAsync(CancellationToken stop)
    {
        _applier ??= ApplyAsync(_stop.Token);
        try
        {
            for (long id = 1, n = 1; !stop.IsCancellationRequested; id = (id % rows) + 1, n++)
            {
                var note = $"written {n}";
                await bed.OnPrimaryAsync("UPDATE items SET note = $1 WHERE id = $2", note, id);
                await using var position = bed.Primary.CreateCommand("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint");
                var lsn = (long)(await position.ExecuteScalarAsync(CancellationToken.None))!;
                _queue.Enqueue((id, note, lsn, Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency)));
                Interlocked.Increment(ref _written);
                await Task.Delay(5, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Writer stopped.
        }
    }

    public Task UntilWrittenAsync(long count) =>
        Wait.UntilAsync(() => Task.FromResult(Written >= count), Limit, $"{count} changes written on the primary", () => $"{Written} written");

    public Task DrainAsync() =>
        Wait.UntilAsync(() => Task.FromResult(_queue.IsEmpty), Limit, "the delayed pipeline to apply every change", () => $"{_queue.Count} not applied");

    private async Task ApplyAsync(CancellationToken stop)
    {
        long offset = 0;
        while (!stop.IsCancellationRequested)
        {
            if (_queue.TryPeek(out var change) && change.Due <= Stopwatch.GetTimestamp())
            {
                await bed.OnStoreAsync(
                    """
                    WITH stored AS (
                        INSERT INTO cdc.offsets (consumer_group, topic, partition, next_offset, commit_lsn, event_lsn) VALUES ('cdc-sink', 'cdc.public.items', 0, $4, $2, $2)
                        ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, commit_lsn = EXCLUDED.commit_lsn, event_lsn = EXCLUDED.event_lsn)
                    UPDATE items SET note = $1, _cdc_commit_lsn = $2, _cdc_event_lsn = $2 WHERE id = $3 AND (_cdc_commit_lsn, _cdc_event_lsn) < ($2, $2)
                    """,
                    change.Note, change.Lsn, change.Id, ++offset);
                _queue.TryDequeue(out _);
            }
            else
            {
                await Task.Delay(5, CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAsync();
        await _stop.CancelAsync();
        if (_applier is not null)
        {
            await _applier;
        }

        _stop.Dispose();
    }
}
