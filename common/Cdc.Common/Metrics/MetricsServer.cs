using System.Net;
using Cdc.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Cdc.Common.Metrics;

/// <summary>
/// A small Kestrel server for any Cdc host: <c>GET /metrics</c> (Prometheus text 0.0.4, by prometheus-net's handler), <c>GET /healthz</c> (200 while
/// the process serves), <c>GET /readyz</c> (200 when the readiness check says so, else 503 and the reason). Port 0 in
/// <see cref="MetricsServerOptions"/> disables it: start and stop then do nothing.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly MetricsServerOptions _options;
    private readonly Func<ReadinessStatus> _readiness;
    private readonly PrometheusExposition _exposition;
    private readonly bool _ownsExposition;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;

    /// <param name="options">Port and bind address.</param>
    /// <param name="readiness">Answers <c>/readyz</c>; null means always ready.</param>
    /// <param name="exposition">The metrics to serve; null creates (and later disposes) one with the default meters.</param>
    public MetricsServer(MetricsServerOptions options, Func<ReadinessStatus>? readiness = null, PrometheusExposition? exposition = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        _options = options;
        _readiness = readiness ?? (() => ReadinessStatus.Ready);
        _ownsExposition = exposition is null;
        _exposition = exposition ?? new PrometheusExposition();
    }

    /// <summary>Readiness from a flag; the 503 reason is "not ready".</summary>
    public MetricsServer(MetricsServerOptions options, Func<bool> isReady, PrometheusExposition? exposition = null)
        : this(options, () => isReady() ? ReadinessStatus.Ready : ReadinessStatus.NotReady("not ready"), exposition)
    {
    }

    public bool IsEnabled => _options.Port != 0;

    /// <summary>True between a successful <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => _app is not null;

    /// <summary>The base address while running, e.g. <c>http://127.0.0.1:9464/</c>.</summary>
    public Uri? BaseAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!IsEnabled)
        {
            return;
        }

        var address = KestrelHost.ParseAddress(_options.BindAddress);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_app is not null)
            {
                throw new InvalidOperationException("the metrics server is already running");
            }

            var (app, port) = await KestrelHost.StartAsync(address, _options.Port, MapEndpoints, cancellationToken);
            _app = app;
            var host = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address;
            BaseAddress = new UriBuilder(Uri.UriSchemeHttp, host.ToString(), port).Uri;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_app is { } app)
            {
                _app = null;
                BaseAddress = null;
                await app.StopAsync(cancellationToken);
                await app.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsExposition)
        {
            _exposition.Dispose();
        }

        _gate.Dispose();
    }

    private void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // prometheus-net's handler; OpenMetrics off, so Prometheus reads the same text format 0.0.4 whatever it asks for.
        endpoints.MapMetrics(settings =>
        {
            settings.Registry = _exposition.Registry;
            settings.EnableOpenMetrics = false;
        });
        endpoints.MapGet("/healthz", context => WritePlainAsync(context, StatusCodes.Status200OK, "ok"));
        endpoints.MapGet("/readyz", context =>
        {
            var status = Evaluate();
            return status.IsReady
                ? WritePlainAsync(context, StatusCodes.Status200OK, "ready")
                : WritePlainAsync(context, StatusCodes.Status503ServiceUnavailable, $"not ready: {status.Reason}");
        });
        _options.Endpoints?.Invoke(endpoints);
    }

    private ReadinessStatus Evaluate()
    {
        try
        {
            return _readiness();
        }
        catch (Exception e)
        {
            return ReadinessStatus.NotReady($"readiness check failed: {e.Message}");
        }
    }

    private static Task WritePlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
