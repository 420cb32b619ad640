namespace Cdc.Verdict;

/// <summary>
/// One table to judge: a primary table and the store table a sink writes it to, with that sink's mapping as its
/// configuration states it (renamed and excluded columns, soft deletes). Rows are matched by the primary's key (its
/// primary key, else a unique index of NOT NULL columns).
/// </summary>
public sealed record VerdictTable(string PrimarySchema, string PrimaryTable, string StoreSchema, string StoreTable)
{
    /// <summary>Primary column name → store column name.</summary>
    public IReadOnlyDictionary<string, string> Renames { get; init; } = new Dictionary<string, string>();

    /// <summary>Primary columns the sink does not write.</summary>
    public IReadOnlySet<string> Excluded { get; init; } = new HashSet<string>();

    /// <summary>The store keeps deleted rows flagged <c>_cdc_deleted = true</c>: they count as absent.</summary>
    public bool SoftDeletes { get; init; }

    public string Name => $"{PrimarySchema}.{PrimaryTable}";

    /// <summary>A table the sink writes under the same schema and name, every column, hard deletes.</summary>
    public static VerdictTable Same(string schema, string table) => new(schema, table, schema, table);
}
