namespace Cdc.Benchmarks.Sink;

/// <summary>One binary COPY of the final rows.</summary>
public sealed record CopyResult(long Rows, double Seconds)
{
    public double RowsPerSecond => Rows / Seconds;
}
