namespace Cdc.Dev.Chaos;

/// <summary>
/// What one injected fault did and, for a fault that loses data on its way (docs/design.md#no-silent-loss), how the
/// pipeline found it, how long the heal took from the fault's end until the affected store was proven equal, and the
/// rows still lost or wrong then (the reconciler's persisting drift on the affected tables). <see cref="RecoveredWhen"/>:
/// what else must hold before the fault counts as recovered (the poison parked in every store's dead-letter topic).
/// </summary>
internal sealed record FaultOutcome(string What, string Detected = "-", double? HealSeconds = null, long? RowsLost = null)
{
    public Func<bool>? RecoveredWhen { get; init; }
}
