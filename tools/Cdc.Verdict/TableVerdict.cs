namespace Cdc.Verdict;

/// <summary>What the plain comparison found in one table.</summary>
public sealed class TableVerdict(VerdictTable table)
{
    public VerdictTable Table { get; } = table;

    public long PrimaryRows { get; internal set; }

    public long StoreRows { get; internal set; }

    /// <summary>On the primary, not (visible) in the store.</summary>
    public List<VerdictRow> Missing { get; } = [];

    /// <summary>In the store, not on the primary.</summary>
    public List<VerdictRow> Extra { get; } = [];

    /// <summary>On both sides with different values.</summary>
    public List<VerdictRow> Changed { get; } = [];

    public bool Equal => Missing.Count == 0 && Extra.Count == 0 && Changed.Count == 0;

    public override string ToString() =>
        $"{Table.Name}: {PrimaryRows:N0} rows, {Missing.Count} missing, {Extra.Count} extra, {Changed.Count} changed";
}
