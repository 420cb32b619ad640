using Cdc.Store.Transactions;

namespace Cdc.Sink.Transactions;

/// <summary>One subsystem's answer to a freshness barrier: reached or not, its watermark, and the transactions at or below the LSN that ended PARTIAL_FAILURE.</summary>
public sealed record BarrierResult(string Subsystem, long Lsn, bool Reached, long? Watermark, IReadOnlyList<TransactionStatus> Failed)
{
    public bool Succeeded => Reached && Failed.Count == 0;
}
