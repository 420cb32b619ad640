namespace Cdc.Reconciler;

public enum DriftKind
{
    /// <summary>On the primary, absent from the store (or flagged deleted there).</summary>
    Missing,

    /// <summary>In the store, absent from the primary.</summary>
    Extra,

    /// <summary>On both sides with different values.</summary>
    Divergent,
}
