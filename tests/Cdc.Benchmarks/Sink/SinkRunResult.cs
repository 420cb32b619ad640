namespace Cdc.Benchmarks.Sink;

/// <summary>One measured sink run.</summary>
/// <param name="Events">Events applied (the store's offsets).</param>
/// <param name="Seconds">From partition assignment (the worker consuming) until the store held every event's offset.</param>
/// <param name="StartupSeconds">From launch until partition assignment (process start, store and Kafka checks, group join).</param>
/// <param name="PeakRssBytes">VmHWM of the process the sink ran in.</param>
/// <param name="SinkCpuSeconds">CPU (user + system) the sink's process used over <paramref name="Seconds"/>.</param>
/// <param name="StoreCpuSeconds">CPU the sink's PostgreSQL backends used over <paramref name="Seconds"/>.</param>
/// <param name="KafkaCpuSeconds">CPU this process (hosting the mock Kafka cluster) used over <paramref name="Seconds"/>;
/// NaN when the sink ran in it.</param>
public sealed record SinkRunResult(long Events, double Seconds, double StartupSeconds, long PeakRssBytes, double SinkCpuSeconds, double StoreCpuSeconds, double KafkaCpuSeconds)
{
    /// <summary>Events applied over the run, four times a second (seconds since the worker began consuming).</summary>
    public IReadOnlyList<(double Seconds, long Applied)> Progress { get; init; } = [];

    public double KafkaCpuMicrosPerEvent => KafkaCpuSeconds * 1e6 / Events;

    public double EventsPerSecond => Events / Seconds;

    public double SinkCpuMicrosPerEvent => SinkCpuSeconds * 1e6 / Events;

    public double StoreCpuMicrosPerEvent => StoreCpuSeconds * 1e6 / Events;
}
