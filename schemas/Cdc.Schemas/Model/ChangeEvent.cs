namespace Cdc.Schemas.Model;

/// <summary>One decoded Debezium change event (the Kafka value), independent of the wire format.</summary>
public sealed record ChangeEvent
{
    public required ChangeOperation Operation { get; init; }
    public RowImage? Before { get; init; }
    public RowImage? After { get; init; }
    public required SourceInfo Source { get; init; }
    /// <summary>When Debezium processed the event (the connector's clock, not the commit time).</summary>
    public long? TsMs { get; init; }
    /// <summary>The same instant as <see cref="TsMs"/> in microseconds (Debezium 2.6+).</summary>
    public long? TsUs { get; init; }
    /// <summary>The same instant as <see cref="TsMs"/> in nanoseconds (Debezium 2.6+).</summary>
    public long? TsNs { get; init; }
    public TransactionBlock? Transaction { get; init; }
    /// <summary>Set for <see cref="ChangeOperation.Message"/> only.</summary>
    public LogicalMessage? Message { get; init; }
}
