using Cdc.Capture;
using Cdc.Capture.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdc.Dev.Demo;

/// <summary>The .NET source connector (<see cref="CaptureHost.StartAsync"/>) run in this process on the primary.</summary>
internal sealed class SourceConnector : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly RunningCapture _capture;
    private readonly Task _run;

    private SourceConnector(RunningCapture capture, CaptureOptions options)
    {
        _capture = capture;
        Options = options;
        _run = Task.Run(() => capture.RunAsync(_stop.Token), CancellationToken.None);
    }

    public CaptureOptions Options { get; }

    public int MetricsPort => Options.MetricsPort;

    public static async Task<SourceConnector> StartAsync(CaptureOptions options, ILogger logger, CancellationToken ct) =>
        new(await CaptureHost.StartAsync(options, logger, TimeProvider.System, ct), options);

    /// <exception cref="InvalidOperationException">The connector stopped by itself.</exception>
    public void ThrowIfStopped()
    {
        if (_run.IsCompleted && !_stop.IsCancellationRequested)
        {
            throw new InvalidOperationException($"the source connector stopped: {_run.Exception?.GetBaseException().Message ?? "it returned"}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (Exception) when (_run.IsCompleted)
        {
            // Cancelled, or already reported by ThrowIfStopped.
        }

        await _capture.DisposeAsync();
        _stop.Dispose();
    }
}
