namespace Cdc.Capture.Signals;

/// <summary>A row read by an incremental-snapshot chunk: its key text, Connect values and the raw text of its key.</summary>
internal sealed record SnapshotRow(string Key, object?[] Values, string[] KeyText);
