namespace Cdc.Common.Metrics.Internal;

/// <summary>Prometheus metric type, as written on the <c># TYPE</c> line.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}
