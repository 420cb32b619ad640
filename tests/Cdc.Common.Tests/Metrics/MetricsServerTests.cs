using System.Net;
using Cdc.Common.Metrics;
using Cdc.Testing;

namespace Cdc.Common.Tests.Metrics;

public sealed class MetricsServerTests
{
    [Fact]
    public async Task StartAsync_FreePort_ServesMetricsHealthzAndReadyzFlips()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateCounter<long>("cdc.test.served").Add(7);
        var readiness = new ReadinessGate();
        await using var server = new MetricsServer(
            new MetricsServerOptions { Port = FreeTcpPort.Next(), BindAddress = "127.0.0.1" }, readiness.Check, scope.Exposition);
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        readiness.MarkReady();
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(PrometheusExposition.ContentType, metrics.Content.Headers.ContentType?.ToString());
        Assert.Contains("cdc_test_served_total 7", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("not ready: starting\n", await notReady.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task StartAsync_PortZero_ServesNothing()
    {
        await using var server = new MetricsServer(new MetricsServerOptions { Port = 0 });

        await server.StartAsync();

        Assert.False(server.IsEnabled);
        Assert.False(server.IsRunning);
        Assert.Null(server.BaseAddress);
    }

    [Fact]
    public async Task StopAsync_Running_ReleasesPort()
    {
        var port = FreeTcpPort.Next();
        await using var server = new MetricsServer(new MetricsServerOptions { Port = port, BindAddress = "127.0.0.1" }, () => false);
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var readyz = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        await server.StopAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.False(server.IsRunning);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("/healthz", UriKind.Relative)));
    }
}
