namespace Cdc.Sink.Planning;

/// <summary>A record that cannot be applied (never transient): it goes to the dead-letter topic.</summary>
internal sealed record RecordFailure(SinkRecord Record, FailureStage Stage, Exception Error)
{
    /// <summary>The source transaction event it was, when it could be decoded: that transaction ends PARTIAL_FAILURE.</summary>
    public Cdc.Store.Transactions.TransactionEvent? Transaction { get; init; }
}
