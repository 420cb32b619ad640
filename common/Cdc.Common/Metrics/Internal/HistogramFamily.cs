using System.Globalization;
using System.Text;

namespace Cdc.Common.Metrics.Internal;

/// <summary>Histograms with fixed bucket bounds: <c>_bucket{le}</c> cumulative up to <c>+Inf</c>, <c>_sum</c>, <c>_count</c>.</summary>
internal sealed class HistogramFamily : MetricFamily<HistogramSeries>
{
    private readonly double[] _bounds;
    private readonly string[] _le;

    public HistogramFamily(string name, string help, FamilyShape shape)
        : base(name, help, shape, reservedLabel: "le")
    {
        _bounds = shape.Bounds ?? throw new ArgumentException("a histogram needs bucket bounds", nameof(shape));
        _le = [.. _bounds.Select(b => $"le=\"{PrometheusText.FormatDouble(b)}\""), "le=\"+Inf\""];
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsNaN(value))
        {
            GetSeries(tags).Record(value);
        }
    }

    public override void Write(StringBuilder builder)
    {
        var series = Snapshot();
        if (series.Length == 0)
        {
            return;
        }

        WriteHeader(builder);
        var bucket = Name + "_bucket";
        foreach (var s in series)
        {
            var cumulative = s.CumulativeCounts();
            for (var i = 0; i < cumulative.Length; i++)
            {
                AppendSample(builder, bucket, s.Labels, _le[i], cumulative[i].ToString(CultureInfo.InvariantCulture));
            }

            AppendSample(builder, Name + "_sum", s.Labels, null, PrometheusText.FormatDouble(s.Sum));
            AppendSample(builder, Name + "_count", s.Labels, null, cumulative[^1].ToString(CultureInfo.InvariantCulture));
        }
    }

    protected override HistogramSeries CreateSeries(string labels) => new(labels, _bounds);
}
