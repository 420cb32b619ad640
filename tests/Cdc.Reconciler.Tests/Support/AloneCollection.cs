namespace Cdc.Reconciler.Tests.Support;

/// <summary>Tests that need the PostgreSQL cluster's WAL to stand still run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "reconciler-alone";
}
