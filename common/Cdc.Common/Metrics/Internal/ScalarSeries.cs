namespace Cdc.Common.Metrics.Internal;

/// <summary>A counter or gauge value, updated lock-free.</summary>
internal sealed class ScalarSeries(string labels) : MetricSeries(labels)
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Add(double delta) => AtomicDouble.Add(ref _value, delta);

    public void Set(double value) => Volatile.Write(ref _value, value);
}
