namespace Cdc.Verdict;

/// <summary>The plain comparison's result over several tables.</summary>
public sealed class StoreVerdict(IReadOnlyList<TableVerdict> tables)
{
    public IReadOnlyList<TableVerdict> Tables { get; } = tables;

    public bool Equal => Tables.All(t => t.Equal);

    public long Rows => Tables.Sum(t => t.PrimaryRows);

    public int Missing => Tables.Sum(t => t.Missing.Count);

    public int Extra => Tables.Sum(t => t.Extra.Count);

    public int Changed => Tables.Sum(t => t.Changed.Count);

    public override string ToString() => $"{Rows:N0} rows, {Missing} missing, {Extra} extra, {Changed} changed";
}
