using Cdc.Store.Transactions;
using Npgsql;

namespace Cdc.Sink.Transactions;

/// <summary>
/// Waits until a subsystem has finished with every source transaction committed at or below an LSN (its watermark
/// reached it), reading only the subsystem store's transaction tracking, never the replicated tables.
/// </summary>
public static class FreshnessBarrier
{
    /// <summary>How often the watermark is read; the sink evaluates it every 50 ms.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public static async Task<BarrierResult> WaitAsync(
        string subsystem, NpgsqlDataSource store, TransactionStore transactions, long lsn, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        while (true)
        {
            var watermark = await transactions.WatermarkAsync(store, cancellationToken);
            if (watermark.Lsn >= lsn)
            {
                return new BarrierResult(subsystem, lsn, true, watermark.Lsn, await transactions.FailedAtOrBelowAsync(store, lsn, cancellationToken));
            }

            if (time.GetElapsedTime(started) >= timeout)
            {
                return new BarrierResult(subsystem, lsn, false, watermark.Lsn, []);
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
