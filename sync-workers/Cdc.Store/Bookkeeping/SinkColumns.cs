namespace Cdc.Store.Bookkeeping;

/// <summary>The columns the sink adds to every target table.</summary>
public static class SinkColumns
{
    /// <summary>First half of the version of the change that wrote the row: <c>source.sequence[0]</c>.</summary>
    public const string CommitLsn = "_cdc_commit_lsn";

    /// <summary>Second half of the version: <c>source.sequence[1]</c>, the event's LSN.</summary>
    public const string EventLsn = "_cdc_event_lsn";

    /// <summary>Soft-delete flag (tables with <c>DeleteMode = Soft</c> only).</summary>
    public const string Deleted = "_cdc_deleted";

    /// <summary>
    /// The prefix of every name the sink gives its own columns, in target tables and in its staging tables
    /// (<c>_cdc_key</c>, <c>_cdc_shape</c>). One rule keeps them apart from the data (docs/design.md#bookkeeping-names):
    /// a source column whose store name starts with it is never written; its table is refused with
    /// <see cref="ReservedNameRefusal"/>, by the sink and the reconciler alike.
    /// </summary>
    public const string ReservedPrefix = "_cdc_";

    public static bool IsSinkColumn(string name) => name is CommitLsn or EventLsn or Deleted;

    public static bool IsReserved(string name) => name.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    /// <summary>Why a table whose column <paramref name="sourceColumn"/> would be stored as the reserved <paramref name="storeColumn"/> is refused.</summary>
    public static string ReservedNameRefusal(string table, string sourceColumn, string storeColumn) =>
        $"table {table} refused: its column \"{sourceColumn}\" would be stored as \"{storeColumn}\", and every name starting with {ReservedPrefix} "
        + $"is the sink's own ({CommitLsn}, {EventLsn}, {Deleted}, ...); give the column another store name in the sink's mapping (Tables[].Rename) or leave it out (Tables[].Exclude)";
}
