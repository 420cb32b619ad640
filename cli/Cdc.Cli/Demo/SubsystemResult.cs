namespace Cdc.Cli.Demo;

/// <summary>What the end table shows for one subsystem.</summary>
internal sealed record SubsystemResult(Subsystem Subsystem, StoreComparison Comparison, long EventsApplied, long DeadLetters);
