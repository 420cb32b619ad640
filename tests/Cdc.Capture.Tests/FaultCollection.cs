namespace Cdc.Capture.Tests;

/// <summary>Tests that kill processes, take brokers down or restart PostgreSQL run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "capture-faults";
}
