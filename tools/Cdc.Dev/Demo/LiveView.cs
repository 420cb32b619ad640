using System.Globalization;

namespace Cdc.Dev.Demo;

/// <summary>
/// Once per second, from the <see cref="PipelineSampler"/>'s latest look: transactions written, events the source
/// connector put on the topics, and per subsystem events per second applied, lag in records (on the topics, not yet in
/// the store) and events applied. On a terminal one line rewritten in place; otherwise plain periodic lines.
/// </summary>
internal sealed class LiveView : IAsyncDisposable
{
    private readonly PipelineSampler _sampler;
    private readonly BackgroundLoop _loop;
    private readonly bool _terminal = !Console.IsOutputRedirected;

    public LiveView(PipelineSampler sampler)
    {
        _sampler = sampler;
        _loop = new BackgroundLoop(RunAsync);
    }

    public void Start() => _loop.Start();

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        if (_terminal)
        {
            Console.WriteLine();
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var started = _sampler.Samples.LastOrDefault()?.Seconds ?? 0;
        PipelineSample? previous = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(ct))
        {
            if (_sampler.Samples.LastOrDefault() is not { } now || now == previous)
            {
                continue;
            }

            var seconds = previous is null ? 0 : now.Seconds - previous.Seconds;
            var parts = _sampler.Names.Select((name, i) =>
            {
                var rate = previous is null || seconds <= 0 ? 0 : (now.Applied[i] - previous.Applied[i]) / seconds;
                return string.Create(CultureInfo.InvariantCulture, $"{name} {rate,7:#,0}/s lag {Math.Max(0, now.Produced - now.Applied[i]),6:#,0} applied {now.Applied[i],8:#,0}");
            });
            previous = now;
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"  live {now.Seconds - started,5:0}s  writer {now.Transactions,7:#,0} tx  topics {now.Produced,8:#,0} events  |  {string.Join("  |  ", parts)}");
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
