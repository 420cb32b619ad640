using Cdc.Sink.Planning;

namespace Cdc.Sink.Worker;

/// <summary>One lane's attempt at its share: its progress, or the error its retries ended in.</summary>
internal readonly record struct LaneOutcome(int Lane, IReadOnlyCollection<PartitionProgress>? Progress, Exception? Error);
