using System.Diagnostics;
using System.Globalization;

namespace Cdc.Dev.Demo;

/// <summary>
/// Once per second: events the source connector put on the topics, and per subsystem events per second applied, lag
/// in records (on the topics, not yet in the store) and events applied, all read from the stages' durable records
/// (<see cref="PipelineProgress"/>). On a terminal one line rewritten in place; otherwise plain periodic lines.
/// </summary>
internal sealed class LiveView(IReadOnlyList<Subsystem> subsystems, PipelineProgress progress, ShopWriter writer) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly bool _terminal = !Console.IsOutputRedirected;
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

        if (_terminal)
        {
            Console.WriteLine();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var previous = new long[subsystems.Count];
        var last = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var produced = progress.Produced();
            var now = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(last, now).TotalSeconds;
            last = now;
            var parts = new List<string>();
            for (var i = 0; i < subsystems.Count; i++)
            {
                var applied = await progress.AppliedAsync(subsystems[i].Database.DataSource, subsystems[i].Name, ct);
                var rate = previous[i] == 0 ? 0 : (applied - previous[i]) / seconds;
                previous[i] = applied;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{subsystems[i].Name} {rate,7:#,0}/s lag {Math.Max(0, produced - applied),6:#,0} applied {applied,8:#,0}"));
            }

            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"  live {Stopwatch.GetElapsedTime(_started, now).TotalSeconds,5:0}s  writer {writer.Transactions,7:#,0} tx  topics {produced,8:#,0} events  |  {string.Join("  |  ", parts)}");
            if (_terminal)
            {
                Console.Write($"\r{line}\u001b[K");
            }
            else
            {
                Console.WriteLine(line);
            }
        }
    }
}
