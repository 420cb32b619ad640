using System.Diagnostics;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Transactions;

namespace Cdc.Dev.Demo;

/// <summary>
/// One flip as a job in one subsystem: its state and progress read from the sink's transaction tracking in the store
/// (<c>cdc.transactions</c>, what <c>cdc txn</c> prints), every ~5 ms until it is COMPLETED or PARTIAL_FAILURE, or
/// <see cref="Limit"/> passes. Its time is the tracking's own: the primary's commit time to the store's time of the last
/// event applied.
/// </summary>
internal sealed class FlipJob(Subsystem subsystem)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly TransactionStore _transactions = new(new MetadataTables(subsystem.Options!.MetadataSchema), subsystem.Name);

    public string Name => subsystem.Name;

    /// <summary>The latest state read, for the live view.</summary>
    public TransactionStatus? Last { get; private set; }

    /// <summary>The finished job (null when it did not finish within the limit; <see cref="Last"/> says how far it got).</summary>
    public async Task<TransactionStatus?> WaitAsync(long committed, long xid, CancellationToken ct)
    {
        var store = subsystem.Database.DataSource;
        Last = null;
        while (true)
        {
            Last = await StoreRetry.RunAsync($"{subsystem.Name} transaction", store, () => _transactions.FindAsync(store, xid, null, ct), ct);
            if (Last is { } status && TransactionStates.IsTerminal(status.State))
            {
                return status;
            }

            subsystem.ThrowIfStopped();
            if (Stopwatch.GetElapsedTime(committed) > Limit)
            {
                return null;
            }

            await Task.Delay(Interval, ct);
        }
    }
}
