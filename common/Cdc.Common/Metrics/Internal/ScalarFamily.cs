using System.Text;

namespace Cdc.Common.Metrics.Internal;

/// <summary>Counters and gauges. Additive families sum measurements (counters, up-down counters); the others keep
/// the last value (gauges).</summary>
internal sealed class ScalarFamily(string name, string help, FamilyShape shape)
    : MetricFamily<ScalarSeries>(name, help, shape, reservedLabel: null)
{
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) && Shape.Additive)
        {
            return;
        }

        // A monotonic counter cannot go down; a negative increment would read as a counter reset.
        if (Shape is { Kind: MetricKind.Counter, Observable: false } && value < 0)
        {
            return;
        }

        var series = GetSeries(tags);
        if (Shape.Additive)
        {
            series.Add(value);
        }
        else
        {
            series.Set(value);
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
        foreach (var s in series)
        {
            AppendSample(builder, Name, s.Labels, null, PrometheusText.FormatDouble(s.Value));
        }
    }

    protected override ScalarSeries CreateSeries(string labels) => new(labels);
}
