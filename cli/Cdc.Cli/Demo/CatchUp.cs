using System.Diagnostics;

namespace Cdc.Cli.Demo;

/// <summary>Waits until every sink worker has applied every event the writer produced.</summary>
internal static class CatchUp
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    /// <exception cref="TimeoutException">A worker made no progress for a minute.</exception>
    public static async Task WaitAsync(IReadOnlyList<Subsystem> subsystems, OrderWriter writer, CancellationToken ct)
    {
        var produced = writer.Produced;
        var last = -1L;
        var lastChange = Stopwatch.GetTimestamp();
        while (true)
        {
            var applied = subsystems.Min(s => s.Applied);
            if (applied >= produced)
            {
                return;
            }

            foreach (var subsystem in subsystems)
            {
                subsystem.ThrowIfStopped();
            }

            if (applied != last)
            {
                last = applied;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > StallLimit)
            {
                var behind = string.Join(", ", subsystems.Where(s => s.Applied < produced).Select(s => $"{s.Name} at {s.Applied:#,0}"));
                throw new TimeoutException($"no progress for {StallLimit.TotalSeconds:0} s: {produced:#,0} events produced, {behind}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), ct);
        }
    }
}
