using Cdc.Sink.Planning;
using Cdc.Store.Transactions;

namespace Cdc.Sink.Transactions;

/// <summary>What <see cref="TransactionBuffer.Release"/> gives to one store transaction.</summary>
internal sealed class BufferRelease
{
    /// <summary>In each partition's order.</summary>
    public List<DecodedRecord> Records { get; } = [];

    /// <summary>Events proven never to arrive, counted as failed with the records (their transaction ends PARTIAL_FAILURE).</summary>
    public List<TransactionEvent> Unarrived { get; } = [];

    /// <summary>Transactions released before they were complete.</summary>
    public List<IncompleteTransaction> Incomplete { get; } = [];
}
