namespace Cdc.Sink.Worker;

/// <summary>Some lanes of a batch failed (the store or the registry is down): the paused pipeline retries them.</summary>
internal sealed class BatchIncompleteException(Exception cause) : Exception($"batch not applied: {cause.Message}", cause);
