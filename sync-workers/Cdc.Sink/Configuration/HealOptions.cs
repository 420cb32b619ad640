namespace Cdc.Sink.Configuration;

/// <summary>How a sink heals the gaps it finds in its stream (docs/design.md#no-silent-loss).</summary>
public sealed class HealOptions
{
    /// <summary>
    /// Ask the source connector for an incremental re-snapshot of a gap's table through its Kafka signal channel
    /// (Debezium's <c>signal.kafka.topic</c>; the .NET connector reads the same): on by default.
    /// </summary>
    public bool Signal { get; set; } = true;

    /// <summary>The signal topic; default <c>&lt;topic.prefix&gt;-signal</c>, Debezium's default.</summary>
    public string? SignalTopic { get; set; }

    /// <summary>At most one heal of a table is started within this period; later gaps of it wait for the next.</summary>
    public TimeSpan Pace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The primary's connection string: with it the sink process also runs the heal worker (compare the gap's table,
    /// remove rows the primary deleted meanwhile, verify; recorded in the reconciler's audit trail). Without it a
    /// <c>cdc reconcile --every</c> service does that part.
    /// </summary>
    public string? Primary { get; set; }
}
