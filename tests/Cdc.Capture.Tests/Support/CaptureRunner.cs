using Cdc.Capture.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdc.Capture.Tests.Support;

/// <summary>A capture connector running in the test process until stopped.</summary>
internal sealed class CaptureRunner : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private CaptureRunner(RunningCapture capture)
    {
        Capture = capture;
        _run = Task.Run(() => capture.RunAsync(_stop.Token));
    }

    public RunningCapture Capture { get; }

    /// <summary>Completes when the connector stops by itself (a permanent fault).</summary>
    public Task Completion => _run;

    public static async Task<CaptureRunner> StartAsync(CaptureOptions options, ILogger? logger = null) =>
        new(await CaptureHost.StartAsync(options, logger ?? TestLogging.Logger("capture"), TimeProvider.System, CancellationToken.None));

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        await Capture.DisposeAsync();
        _stop.Dispose();
    }
}
