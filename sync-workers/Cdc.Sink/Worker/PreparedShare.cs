using Cdc.Sink.Planning;

namespace Cdc.Sink.Worker;

/// <summary>
/// A lane's share of the next batch, decoded and planned while the batch before it applied; null
/// <paramref name="Plan"/>: not planned (the lane plans it).
/// </summary>
internal sealed record PreparedShare(List<SinkRecord> Records, List<DecodedRecord> Decoded, BatchPlan? Plan);
