using Cdc.Reconciler;
using Cdc.Verdict;

namespace Cdc.Dev.Demo;

/// <summary>What the end table shows for one subsystem: the reconciler's check and the independent verdict beside it.</summary>
internal sealed record SubsystemResult(Subsystem Subsystem, ReconcileResult Check, StoreVerdict Verdict, long EventsApplied, long DeadLetters)
{
    /// <summary>Null when both judges name the same rows; else how they differ (the run fails).</summary>
    public string? Disagreement { get; } = VerdictCheck.Disagreement(Check, Verdict);

    public bool Equal => Check.ExitCode == 0 && Verdict.Equal && Disagreement is null;
}
