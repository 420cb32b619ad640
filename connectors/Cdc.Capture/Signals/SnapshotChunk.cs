using Cdc.Capture.Source;

namespace Cdc.Capture.Signals;

/// <summary>
/// One DBLog chunk of an incremental snapshot: the window's id (its watermark rows are <c>&lt;id&gt;-open</c> and
/// <c>&lt;id&gt;-close</c>), the rows read between them, and the keys the stream changed while the window was open.
/// </summary>
internal sealed class SnapshotChunk(string windowId, TableShape shape, string? filter, string[]? afterKey, int limit)
{
    public string WindowId { get; } = windowId;

    public TableShape Shape { get; } = shape;

    public string? Filter { get; } = filter;

    /// <summary>Raw text of the previous chunk's last key; null for the first chunk.</summary>
    public string[]? AfterKey { get; } = afterKey;

    /// <summary>Rows this chunk reads at most.</summary>
    public int Limit { get; } = limit;

    /// <summary>Writes the open watermark, reads the chunk, writes the close watermark.</summary>
    public Task<List<SnapshotRow>> Read { get; set; } = Task.FromResult(new List<SnapshotRow>());

    public bool IsOpen { get; set; }

    /// <summary>Keys (<see cref="RowKeys.Text"/>) a streamed change touched while the window was open.</summary>
    public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

    /// <summary>About how much memory the rows' values take (text and bytes by length, other values 16 bytes).</summary>
    public static long EstimateBytes(IEnumerable<SnapshotRow> rows) =>
        rows.Sum(r => r.Values.Sum(v => v switch
        {
            string text => 2L * text.Length,
            byte[] bytes => bytes.LongLength,
            _ => 16L,
        }));
}
