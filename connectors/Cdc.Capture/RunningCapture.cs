using Cdc.Capture.Worker;
using Cdc.Common.Metrics;
using Npgsql;

namespace Cdc.Capture;

/// <summary>A built connector, its <c>/metrics</c> endpoint and the resources it owns; <see cref="RunAsync"/> streams until stopped.</summary>
public sealed class RunningCapture : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly PrometheusExposition _exposition;
    private readonly IDisposable? _registry;

    internal RunningCapture(CaptureWorker worker, NpgsqlDataSource source, CaptureMetrics metrics, MetricsServer server, PrometheusExposition exposition, IDisposable? registry)
    {
        Worker = worker;
        _source = source;
        Metrics = metrics;
        Server = server;
        _exposition = exposition;
        _registry = registry;
    }

    public CaptureWorker Worker { get; }

    public CaptureMetrics Metrics { get; }

    /// <summary>Serves <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> when a metrics port is configured.</summary>
    public MetricsServer Server { get; }

    /// <summary>Streams until <paramref name="stopping"/> fires; transient faults are retried inside.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var channel = Signals is null ? Task.CompletedTask : Signals.RunAsync(stop.Token);
        try
        {
            await Worker.RunAsync(stopping);
        }
        finally
        {
            await stop.CancelAsync();
            await channel.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal Signals.KafkaSignalChannel? Signals { get; init; }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _exposition.Dispose();
        _registry?.Dispose();
        Metrics.Dispose();
        await _source.DisposeAsync();
    }
}
