using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Sink.Worker;

/// <summary>What every <see cref="ApplyLane"/> of a worker shares.</summary>
internal sealed record ApplyLaneContext(
    NpgsqlDataSource Store,
    RecordDecoder Decoder,
    PlanPreparer Preparer,
    BatchApplier Applier,
    DeadLetterPublisher DeadLetters,
    SinkMetrics Metrics,
    ILogger Logger,
    TimeProvider Time)
{
    public SupersededEvents Superseded { get; } = new(Metrics, Logger, Time);

    /// <summary>
    /// <c>transaction</c> consistency: a batch is applied whole or not at all, also when a record in it is poison (found
    /// by rolled-back probes, then dead-lettered, and the rest applied in one transaction).
    /// </summary>
    public bool Atomic { get; init; }

    /// <summary>Where a committed batch names the source transactions it counted events of, for the tracker (null: not tracking).</summary>
    public Transactions.ChangedTransactions? ChangedTransactions { get; init; }
}
