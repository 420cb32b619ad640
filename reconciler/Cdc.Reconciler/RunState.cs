namespace Cdc.Reconciler;

/// <summary>A run's job state, as kept in <c>cdc.reconcile_runs</c>.</summary>
public enum RunState
{
    Pending,
    Running,
    /// <summary>Every table was compared (drift or not).</summary>
    Completed,
    /// <summary>Some tables were refused or failed; the others were compared.</summary>
    PartialFailure,
    /// <summary>Nothing could be compared: lag past the wait, or an error.</summary>
    Failed,
}
