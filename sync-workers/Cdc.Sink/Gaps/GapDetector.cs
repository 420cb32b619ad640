using Cdc.Store.Bookkeeping;
using Confluent.Kafka;

namespace Cdc.Sink.Gaps;

/// <summary>
/// Watches each assigned partition's offsets for records the sink never read (docs/design.md#no-silent-loss). Every
/// record must come at the offset after the previous one (the connector's producer is idempotent, not transactional:
/// offsets are contiguous), the first one after an assignment at the offset stored in the store. A record further on
/// is a gap when the partition's log start passed the expected offset (retention, or Kafka's own
/// <c>auto.offset.reset</c> after an out-of-range position); a record further back means the topic started over.
/// A compacted topic's holes are not gaps: there the log start has not passed the expected offset.
/// </summary>
internal sealed class GapDetector(Func<TopicPartition, long?> logStart)
{
    private readonly Dictionary<TopicPartition, long> _next = [];

    /// <summary>The next record of <paramref name="partition"/> should be at <paramref name="offset"/>.</summary>
    public void Expect(TopicPartition partition, long offset) => _next[partition] = offset;

    public void Forget(TopicPartition partition) => _next.Remove(partition);

    /// <summary>
    /// The topic was deleted and created again while the partition was assigned: what the sink expected next in the old
    /// incarnation was never read, and the new one is read from its start.
    /// </summary>
    public StreamGap Restart(TopicPartition partition, string? oldTopicId)
    {
        var expected = _next.GetValueOrDefault(partition);
        _next[partition] = 0;
        return new StreamGap(partition.Topic, partition.Partition.Value, oldTopicId, expected, null, StreamGap.TopicRecreated);
    }

    /// <summary>
    /// The partition's log start as last seen (at assignment, and from fetch responses while consuming): past the next
    /// expected offset, the records between were deleted before they were read (even when no record follows yet).
    /// </summary>
    /// <returns>The gap, if any; the next expected offset then moves to the log start.</returns>
    public StreamGap? CheckLogStart(TopicPartition partition, long logStart, string? topicId)
    {
        if (!_next.TryGetValue(partition, out var expected) || logStart <= expected)
        {
            return null;
        }

        _next[partition] = logStart;
        return new StreamGap(partition.Topic, partition.Partition.Value, topicId, expected, logStart - 1, StreamGap.LogStartPassed);
    }

    /// <returns>The gap before this record, if any.</returns>
    public StreamGap? Check(TopicPartition partition, long offset, string? topicId)
    {
        if (!_next.TryGetValue(partition, out var expected))
        {
            _next[partition] = offset + 1;
            return null;
        }

        _next[partition] = offset + 1;
        if (offset == expected)
        {
            return null;
        }

        if (offset < expected)
        {
            return new StreamGap(partition.Topic, partition.Partition.Value, topicId, expected, null, StreamGap.OffsetsWentBack);
        }

        // Unknown log start (Kafka did not answer): a possible gap is healed rather than trusted away.
        var start = logStart(partition);
        return start is { } low && low <= expected
            ? null
            : new StreamGap(partition.Topic, partition.Partition.Value, topicId, expected, Math.Min(start ?? offset, offset) - 1, StreamGap.LogStartPassed);
    }
}
