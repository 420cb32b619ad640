namespace Cdc.Common.Metrics.Internal;

/// <summary>Histogram bucket upper bounds when the instrument gives no advice, chosen by its unit.</summary>
internal static class DefaultBuckets
{
    /// <summary>Prometheus client defaults: 5 ms to 10 s.</summary>
    public static readonly double[] Seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>OpenTelemetry's defaults, meant for milliseconds and for counts.</summary>
    public static readonly double[] Counts = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>256 B to 64 MiB, by powers of four.</summary>
    public static readonly double[] Bytes = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    public static double[] ForUnit(string? unit) => unit?.Trim() switch
    {
        "By" => Bytes,
        "ms" or "1" => Counts,
        { Length: > 0 } u when u.StartsWith('{') => Counts,
        _ => Seconds,
    };

    /// <summary>Sorted, distinct, finite bounds; null when nothing usable is left.</summary>
    public static double[]? Normalize(IEnumerable<double>? bounds)
    {
        var normalized = bounds?.Where(double.IsFinite).Distinct().Order().ToArray();
        return normalized is { Length: > 0 } ? normalized : null;
    }
}
