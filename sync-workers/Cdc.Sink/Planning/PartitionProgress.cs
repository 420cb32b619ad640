using Cdc.Schemas.Model;

namespace Cdc.Sink.Planning;

/// <summary>
/// How far a batch takes one partition: the next offset to read (stored with the rows,
/// docs/design.md#invariant-3-exactly-once-effect-in-each-store), and the newest source position and commit time
/// applied (for lag and the reconciler's consistency point).
/// </summary>
internal sealed class PartitionProgress(string topic, int partition)
{
    public string Topic { get; } = topic;

    public int Partition { get; } = partition;

    public long NextOffset { get; set; }

    public ChangeVersion? Version { get; set; }

    public long? SourceTsMs { get; set; }
}
