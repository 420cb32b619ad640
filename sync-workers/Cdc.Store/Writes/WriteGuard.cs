namespace Cdc.Store.Writes;

/// <summary>When a write may replace what the store holds for a row (the version guard, docs/design.md#invariant-4-newer-always-wins, docs/design.md#invariant-9-repairs-never-beat-the-stream).</summary>
public enum WriteGuard
{
    /// <summary>
    /// The stream's rule (the sink): only a change newer than the row's version is written, a delete leaves a
    /// tombstone, and a change at or below a tombstone or truncation is dropped. Versionless changes always apply.
    /// </summary>
    Newer,

    /// <summary>
    /// A repair's rule (the reconciler): the row is written only if it still has the version the repair carries,
    /// the one it had when it was compared, and that version is kept, so the stream's next change still wins.
    /// </summary>
    Unchanged,
}
