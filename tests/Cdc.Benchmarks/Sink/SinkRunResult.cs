namespace Cdc.Benchmarks.Sink;

/// <summary>One measured sink run.</summary>
/// <param name="Events">Events applied (the store's offsets).</param>
/// <param name="Seconds">From partition assignment (the worker consuming) until the store held every event's offset.</param>
/// <param name="StartupSeconds">From launch until partition assignment (process start, store and Kafka checks, group join).</param>
/// <param name="PeakRssBytes">VmHWM of the process the sink ran in.</param>
public sealed record SinkRunResult(long Events, double Seconds, double StartupSeconds, long PeakRssBytes)
{
    public double EventsPerSecond => Events / Seconds;
}
