namespace Cdc.Common.Metrics.Internal;

/// <summary>Per-bucket counts (non-cumulative; the last slot is above every bound) and the sum, updated lock-free.</summary>
internal sealed class HistogramSeries(string labels, double[] bounds) : MetricSeries(labels)
{
    private readonly long[] _counts = new long[bounds.Length + 1];
    private double _sum;

    public double Sum => Volatile.Read(ref _sum);

    public void Record(double value)
    {
        Interlocked.Increment(ref _counts[BucketIndex(bounds, value)]);
        AtomicDouble.Add(ref _sum, value);
    }

    /// <summary>Cumulative counts per bound, then the <c>+Inf</c> count (which is also <c>_count</c>).</summary>
    public long[] CumulativeCounts()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return cumulative;
    }

    /// <summary>Index of the first bound with value &lt;= bound (Prometheus' <c>le</c>), or bounds.Length.</summary>
    public static int BucketIndex(double[] bounds, double value)
    {
        int low = 0, high = bounds.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (value <= bounds[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
