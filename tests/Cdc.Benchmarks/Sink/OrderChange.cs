namespace Cdc.Benchmarks.Sink;

/// <summary>One change on the primary: <paramref name="Op"/> is Debezium's <c>c</c>, <c>u</c> or <c>d</c>;
/// <paramref name="Version"/> orders changes and, without a <see cref="Position"/>, is its own transaction and
/// becomes <c>source.sequence</c>.</summary>
public readonly record struct OrderChange(char Op, long Version, OrderRow Row)
{
    /// <summary>Where the change sits in the primary's log (see <see cref="SourceLog"/>); null: one transaction per
    /// version, <c>sequence = ["version*10", "version*10+1"]</c>, commit time 2023-11-14T22:13:20Z + version ms.</summary>
    public SourcePosition? Position { get; init; }

    /// <summary>Its <c>transaction</c> block (Debezium's <c>provide.transaction.metadata</c>); null: <c>"transaction":null</c>.</summary>
    public TransactionRef? Transaction { get; init; }
}
