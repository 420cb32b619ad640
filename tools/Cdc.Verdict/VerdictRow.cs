namespace Cdc.Verdict;

/// <summary>A row that differs: its key's texts (primary column order) and, for a changed row, the primary names of the columns that differ.</summary>
public sealed record VerdictRow(IReadOnlyList<string> Key, IReadOnlyList<string> Columns)
{
    public override string ToString() => Columns.Count == 0 ? string.Join(",", Key) : $"{string.Join(",", Key)} ({string.Join(",", Columns)})";
}
