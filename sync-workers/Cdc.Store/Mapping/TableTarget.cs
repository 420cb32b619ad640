namespace Cdc.Store.Mapping;

/// <summary>A target table and the mapping rules that apply to it, resolved from defaults and the matching rule.</summary>
public sealed record TableTarget(
    string Schema,
    string Table,
    IReadOnlySet<string> Include,
    IReadOnlySet<string> Exclude,
    IReadOnlyDictionary<string, string> Rename,
    DeleteMode DeleteMode,
    TruncateMode Truncate,
    bool AutoCreate,
    bool AutoEvolve)
{
    /// <summary>Identity of the table in the sink's own tables (tombstones, truncations).</summary>
    public string QualifiedName => $"{Schema}.{Table}";

    /// <summary>The target column for a source column, or null when the mapping leaves it out.</summary>
    public string? TargetColumn(string sourceColumn, bool isKey)
    {
        if (!isKey && (Exclude.Contains(sourceColumn) || (Include.Count > 0 && !Include.Contains(sourceColumn))))
        {
            return null;
        }

        return Rename.TryGetValue(sourceColumn, out var renamed) ? renamed : sourceColumn;
    }

    public bool Equals(TableTarget? other) => other is not null && Schema == other.Schema && Table == other.Table;

    public override int GetHashCode() => HashCode.Combine(Schema, Table);
}
