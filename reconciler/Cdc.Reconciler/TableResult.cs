namespace Cdc.Reconciler;

/// <summary>What one run found (and repaired) in one table.</summary>
public sealed class TableResult(string table)
{
    public string Table { get; } = table;

    public string? StoreTable { get; set; }

    /// <summary>Why the table was not compared (no key, missing table, incompatible types, an error); null when it was.</summary>
    public string? Refusal { get; set; }

    /// <summary>Mapped columns left out of the comparison, each with the reason; the rest of the table was compared.</summary>
    public List<string> Skipped { get; } = [];

    public long RowsCompared { get; set; }

    /// <summary>Wall time of the key-range comparison alone (without the consistency wait, recheck and repair).</summary>
    public TimeSpan CompareDuration { get; set; }

    /// <summary>Drift that persisted after the recheck.</summary>
    public List<Finding> Findings { get; } = [];

    /// <summary>Differences seen in the first pass that were gone at the recheck (the stream caught up).</summary>
    public int Transient { get; set; }

    /// <summary>Rows the stream changed between the store's reads at every settled recheck: carried by it, not judged.</summary>
    public int StillChanging { get; set; }

    public int Missing => Findings.Count(f => f.Kind == DriftKind.Missing);

    public int Extra => Findings.Count(f => f.Kind == DriftKind.Extra);

    public int Divergent => Findings.Count(f => f.Kind == DriftKind.Divergent);

    /// <summary>Rows repaired (directly, or re-streamed and verified).</summary>
    public int Repaired => Findings.Count(f => f.Repair is Repair.DirectRepair.Repaired or ReconcileJob.Resnapshotted);

    /// <summary>Rows still differing after the repair was verified (or not verified in time).</summary>
    public int Unrepaired { get; set; }

    /// <summary>Signal ids written for a resnapshot.</summary>
    public List<string> Signals { get; } = [];
}
