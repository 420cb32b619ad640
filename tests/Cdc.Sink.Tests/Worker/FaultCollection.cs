namespace Cdc.Sink.Tests.Worker;

/// <summary>Tests that restart the shared PostgreSQL server or kill processes run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
