namespace Cdc.Benchmarks.Sink;

/// <summary>One run of the naive per-row consumer.</summary>
public sealed record PerRowResult(long Events, double Seconds)
{
    public double EventsPerSecond => Events / Seconds;
}
