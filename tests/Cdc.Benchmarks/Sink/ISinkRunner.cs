namespace Cdc.Benchmarks.Sink;

/// <summary>Runs the real sink worker until the store has applied every event, then stops it gracefully.</summary>
public interface ISinkRunner
{
    /// <summary>How the table names where the sink ran.</summary>
    string Description { get; }

    Task<SinkRunResult> RunAsync(SinkRunSpec spec, StoreProgress progress, StoreBackends backends, CancellationToken ct);
}
