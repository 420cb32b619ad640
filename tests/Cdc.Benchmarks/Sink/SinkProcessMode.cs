namespace Cdc.Benchmarks.Sink;

/// <summary>Where the measured sink worker runs.</summary>
public enum SinkProcessMode
{
    /// <summary><c>dotnet cdc.dll sink ...</c>, as deployed: its peak RSS is the sink's alone.</summary>
    Child,

    /// <summary><see cref="Cdc.Sink.SinkHost.StartAsync"/> inside the benchmark process (peak RSS includes the mock cluster).</summary>
    InProcess,
}
