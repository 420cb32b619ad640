using System.Text;

namespace Cdc.Common.Metrics.Internal;

/// <summary>
/// All series of one Prometheus metric name. Recording finds its series through a lock-free dictionary keyed by the
/// recorded tags (no allocation once the series exists); rendering takes a snapshot.
/// </summary>
internal abstract class MetricFamily
{
    private int _instruments;

    protected MetricFamily(string name, string help, FamilyShape shape)
    {
        Name = name;
        Help = help;
        Shape = shape;
    }

    public string Name { get; }

    public string Help { get; }

    public FamilyShape Shape { get; }

    public void Attach() => Interlocked.Increment(ref _instruments);

    /// <returns>How many instruments still feed this family.</returns>
    public int Detach() => Interlocked.Decrement(ref _instruments);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Observable families are cleared before each collection: callbacks report every live series again.</summary>
    public abstract void Clear();

    public abstract void Write(StringBuilder builder);

    protected void WriteHeader(StringBuilder builder)
    {
        var type = Shape.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        };
        builder.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusText.EscapeHelp(Help)).Append('\n');
        builder.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
    }
}
