namespace Cdc.Benchmarks.Sink;

/// <summary>What one sink run consumes and where it writes.</summary>
public sealed record SinkRunSpec(string BootstrapServers, string Topic, string Group, string Store, long Events, int? BatchSize, int? Parallelism);
