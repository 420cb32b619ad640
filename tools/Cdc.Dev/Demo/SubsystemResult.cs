using Cdc.Reconciler;

namespace Cdc.Dev.Demo;

/// <summary>What the end table shows for one subsystem.</summary>
internal sealed record SubsystemResult(Subsystem Subsystem, ReconcileResult Check, long EventsApplied, long DeadLetters)
{
    public bool Equal => Check.ExitCode == 0;
}
