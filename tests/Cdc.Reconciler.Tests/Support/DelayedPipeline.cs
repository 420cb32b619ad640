using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cdc.Reconciler.Tests.Support;

/// <summary>
/// A writer on the primary and a pipeline that applies each change to the store a little later, with the sink's
/// version guard. Each row is changed at most once (ids in order), so a difference is only ever "not applied yet".
/// </summary>
internal sealed class DelayedPipeline(ReconcileBed bed, TimeSpan delay) : IAsyncDisposable
{
    private readonly ConcurrentQueue<(long Id, string Note, long Due)> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _applier;
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public async Task WriteAsync(CancellationToken stop)
    {
        _applier ??= ApplyAsync(_stop.Token);
        try
        {
            for (long id = 1; !stop.IsCancellationRequested; id = (id % 20_000) + 1)
            {
                var note = $"written {id}";
                await bed.OnPrimaryAsync("UPDATE items SET note = $1 WHERE id = $2", note, id);
                _queue.Enqueue((id, note, Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency)));
                Interlocked.Increment(ref _written);
                await Task.Delay(5, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Writer stopped.
        }
    }

    public async Task UntilWrittenAsync(long count)
    {
        while (Written < count)
        {
            await Task.Delay(10);
        }
    }

    public async Task DrainAsync()
    {
        while (!_queue.IsEmpty)
        {
            await Task.Delay(20);
        }
    }

    private async Task ApplyAsync(CancellationToken stop)
    {
        long version = 1_000_000;
        while (!stop.IsCancellationRequested)
        {
            if (_queue.TryPeek(out var change) && change.Due <= Stopwatch.GetTimestamp())
            {
                version += 10;
                await bed.OnStoreAsync(
                    "UPDATE items SET note = $1, _cdc_commit_lsn = $2, _cdc_event_lsn = $3 WHERE id = $4 AND (_cdc_commit_lsn, _cdc_event_lsn) < ($2, $3)",
                    change.Note, version, version + 1, change.Id);
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
