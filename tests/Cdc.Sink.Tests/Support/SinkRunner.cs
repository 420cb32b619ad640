using Cdc.Sink.Configuration;
using Cdc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdc.Sink.Tests.Support;

/// <summary>A sink worker running in the test process until stopped (a graceful SIGTERM-like stop).</summary>
internal sealed class SinkRunner : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly RunningSink _sink;
    private readonly Task _run;

    private SinkRunner(RunningSink sink)
    {
        _sink = sink;
        _run = Task.Run(async () =>
        {
            try
            {
                await sink.Worker.RunAsync(_stop.Token);
            }
            catch (Exception e)
            {
                Console.WriteLine("worker failed: " + e);
                throw;
            }
        });
    }

    public RunningSink Sink => _sink;

    public static async Task<SinkRunner> StartAsync(SinkOptions options, ILogger? logger = null) =>
        new(await SinkHost.StartAsync(options, logger ?? LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)).CreateLogger("sink"), TimeProvider.System, CancellationToken.None));

    /// <summary>The worker drains its batch in flight and leaves its group (<c>GroupLeave.Deadline</c>) well within this.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(90);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Wait.ForAsync(_run, StopDeadline, "the sink worker to stop (drain its batch and leave its group)");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        await _sink.DisposeAsync();
        _stop.Dispose();
    }
}
