namespace Cdc.Common.Metrics;

/// <summary>Where a host serves <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> (bind from a <c>Metrics</c> section).</summary>
public sealed class MetricsServerOptions
{
    /// <summary>TCP port; 0 (the default) serves nothing.</summary>
    public int Port { get; set; }

    /// <summary>Address to bind: <c>0.0.0.0</c> (default, reachable by a Prometheus in another container) or
    /// <c>127.0.0.1</c>.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>The component's own endpoints beside the three (the sink's <c>/transactions</c> and <c>/wait</c>).</summary>
    public Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? Endpoints { get; init; }
}
