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

    public static bool IsSinkColumn(string name) => name is CommitLsn or EventLsn or Deleted;
}
