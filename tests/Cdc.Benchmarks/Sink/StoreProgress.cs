using System.Diagnostics;
using Cdc.Store.Bookkeeping;
using Npgsql;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Watches the subsystem store's own offsets table (docs/design.md#invariant-3-exactly-once-effect-in-each-store): when
/// the next offsets of a group sum to the number of events produced (every partition starts at 0), every event is
/// applied and committed.
/// </summary>
public sealed class StoreProgress(NpgsqlDataSource store, MetadataTables metadata, string group)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);

    private readonly List<(double Seconds, long Applied)> _timeline = [];

    /// <summary>Stalled this long without any progress is a failure.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(90);

    /// <summary>Events applied over the last <see cref="WaitForAsync"/>, four times a second: seconds since the wait began.</summary>
    public IReadOnlyList<(double Seconds, long Applied)> Timeline => _timeline;

    public async Task<long> AppliedAsync(CancellationToken ct)
    {
        await using var command = store.CreateCommand($"SELECT coalesce(sum(next_offset), 0)::bigint FROM {metadata.Offsets} WHERE consumer_group = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = group });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Waits until <paramref name="events"/> are applied; returns the <see cref="Stopwatch"/> timestamp it saw that.</summary>
    /// <param name="failed">Checked every poll: a non-null message ends the wait with that failure (the worker died).</param>
    public async Task<long> WaitForAsync(long events, Func<string?> failed, CancellationToken ct)
    {
        var last = -1L;
        var started = Stopwatch.GetTimestamp();
        var lastChange = started;
        var lastSample = double.NegativeInfinity;
        while (true)
        {
            var applied = await AppliedAsync(ct);
            var now = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(started, now).TotalSeconds;
            if (applied >= events || seconds - lastSample >= SampleEvery.TotalSeconds)
            {
                _timeline.Add((seconds, applied));
                lastSample = seconds;
            }

            if (applied >= events)
            {
                return now;
            }

            if (failed() is { } reason)
            {
                throw new InvalidOperationException($"the sink stopped after applying {applied} of {events} events: {reason}");
            }

            if (applied != last)
            {
                last = applied;
                lastChange = now;
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > StallLimit)
            {
                throw new TimeoutException($"the sink made no progress for {StallLimit.TotalSeconds:0} s at {applied} of {events} events applied");
            }

            await Task.Delay(Poll, ct);
        }
    }
}
