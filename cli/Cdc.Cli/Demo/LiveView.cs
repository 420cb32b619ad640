using System.Diagnostics;
using System.Globalization;

namespace Cdc.Cli.Demo;

/// <summary>
/// Once per second, one plain line per subsystem: events per second applied, lag in records (produced minus
/// applied, from the worker's own count) and events applied so far. Plain lines suit a terminal and a log alike.
/// </summary>
internal sealed class LiveView(IReadOnlyList<Subsystem> subsystems, OrderWriter writer) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private Task? _run;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var previous = subsystems.Select(s => s.Applied).ToArray();
        var last = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var now = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(last, now).TotalSeconds;
            last = now;
            var produced = writer.Produced;
            var at = Stopwatch.GetElapsedTime(_started, now).TotalSeconds;
            for (var i = 0; i < subsystems.Count; i++)
            {
                var applied = subsystems[i].Applied;
                var rate = (applied - previous[i]) / seconds;
                previous[i] = applied;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  live {at,5:0.0}s  {subsystems[i].Name,-9}  {rate,8:#,0} events/s  lag {Math.Max(0, produced - applied),7:#,0} records  applied {applied,9:#,0} of {produced:#,0} produced"));
            }
        }
    }
}
