using Cdc.Sink.Planning;

namespace Cdc.Sink.Worker;

/// <summary>
/// A batch whose first attempt runs on the apply lanes while the worker reads, decodes and plans the next one.
/// <paramref name="Remaining"/> holds each lane's share until it is applied.
/// </summary>
internal sealed record BatchInFlight(List<SinkRecord> Batch, Dictionary<int, List<SinkRecord>> Remaining, Task<LaneOutcome[]> FirstAttempt);
