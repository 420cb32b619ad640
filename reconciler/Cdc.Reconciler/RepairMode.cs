namespace Cdc.Reconciler;

/// <summary>What <c>--repair</c> does with the drift that persists after the recheck.</summary>
public enum RepairMode
{
    /// <summary>Report only.</summary>
    None,

    /// <summary>
    /// Insert Debezium <c>execute-snapshot</c> signals so the source connector re-streams the missing and divergent
    /// rows through the pipeline (the preferred repair of docs/design.md#invariant-9-repairs-never-beat-the-stream).
    /// Extra rows cannot be re-streamed (they are gone from the primary): they get the same guarded delete as
    /// <see cref="Direct"/>.
    /// </summary>
    Resnapshot,

    /// <summary>Write the primary's current rows into the store (never claiming a newer version) and remove extra rows.</summary>
    Direct,
}
