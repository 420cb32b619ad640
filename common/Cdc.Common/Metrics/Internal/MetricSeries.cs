namespace Cdc.Common.Metrics.Internal;

/// <summary>One labelled time series of a family; <see cref="Labels"/> is the rendered label body, sorted and escaped.</summary>
internal abstract class MetricSeries(string labels)
{
    public string Labels { get; } = labels;
}
