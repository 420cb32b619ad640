using System.Diagnostics.Metrics;

namespace Cdc.Common.Metrics.Internal;

/// <summary>Maps an instrument's CLR type to its Prometheus family shape.</summary>
internal static class InstrumentShapes
{
    /// <returns>Null for instrument types this exposition does not know.</returns>
    public static FamilyShape? Describe(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition switch
        {
            _ when definition == typeof(Counter<>) => new FamilyShape(MetricKind.Counter, Observable: false, Additive: true, null),
            _ when definition == typeof(ObservableCounter<>) => new FamilyShape(MetricKind.Counter, Observable: true, Additive: true, null),
            _ when definition == typeof(UpDownCounter<>) => new FamilyShape(MetricKind.Gauge, Observable: false, Additive: true, null),
            _ when definition == typeof(ObservableUpDownCounter<>) => new FamilyShape(MetricKind.Gauge, Observable: true, Additive: true, null),
            _ when definition == typeof(Gauge<>) => new FamilyShape(MetricKind.Gauge, Observable: false, Additive: false, null),
            _ when definition == typeof(ObservableGauge<>) => new FamilyShape(MetricKind.Gauge, Observable: true, Additive: false, null),
            _ when definition == typeof(Histogram<>) => new FamilyShape(
                MetricKind.Histogram, Observable: false, Additive: true, DefaultBuckets.Normalize(AdvisedBounds(instrument)) ?? DefaultBuckets.ForUnit(instrument.Unit)),
            _ => null,
        };
    }

    private static IEnumerable<double>? AdvisedBounds(Instrument instrument) => instrument switch
    {
        Instrument<double> i => i.Advice?.HistogramBucketBoundaries,
        Instrument<float> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Instrument<long> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Instrument<int> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Instrument<short> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Instrument<byte> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Instrument<decimal> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        _ => null,
    };
}
