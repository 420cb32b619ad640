namespace Cdc.Benchmarks.Support;

/// <summary>Summary statistics of repeated measurements.</summary>
public static class Stats
{
    /// <summary>The middle value (mean of the two middle ones for an even count); NaN when empty.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
