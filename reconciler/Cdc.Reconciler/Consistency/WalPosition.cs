namespace Cdc.Reconciler.Consistency;

/// <summary>Positions in the primary's WAL as the waits compare them with what the slot and the store confirmed.</summary>
internal static class WalPosition
{
    /// <summary>PostgreSQL's page header sizes (64-bit builds): the long one opens a segment, the short one every other page.</summary>
    private const long ShortHeader = 24;
    private const long LongHeader = 40;

    /// <summary>
    /// The end of everything inserted, given <c>pg_current_wal_insert_lsn()</c>. When the last record ended on a page
    /// boundary, that function points past the next page's header, where no record has been written yet; the flush
    /// position (and so a slot's confirmed LSN) stops at the boundary, and a wait for the header's end would last until
    /// the next record. The boundary is the same point in the stream.
    /// </summary>
    public static long EndOfInserted(long insert, long blockSize, long segmentSize) =>
        insert % segmentSize == LongHeader ? insert - LongHeader
        : insert % blockSize == ShortHeader ? insert - ShortHeader
        : insert;
}
