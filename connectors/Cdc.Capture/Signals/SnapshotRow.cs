namespace Cdc.Capture.Signals;

/// <summary>A row read by an incremental-snapshot chunk: its key text, Connect values and the raw text of its key.</summary>
internal sealed record SnapshotRow(string Key, object?[] Values, string[] KeyText)
{
    /// <summary>Why the row cannot be sent (a value the format cannot carry), or null.</summary>
    public string? Unsendable { get; init; }
}
