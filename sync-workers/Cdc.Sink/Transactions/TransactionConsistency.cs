using Cdc.Store.Transactions;
using Npgsql;
using Polly;

namespace Cdc.Sink.Transactions;

/// <summary>
/// What the worker keeps for <c>--consistency transaction</c>: the buffer, the ENDs the tracker hands over, the store's
/// answer for transactions whose END was saved before this run (or that a run before a restart applied part of), and
/// events proven never to arrive, stored as failed with the next release.
/// </summary>
internal sealed class TransactionConsistency(TransactionBuffer buffer, TransactionEnds ends, TransactionStore transactions)
{
    private readonly List<TransactionEvent> _unarrived = [];

    public TransactionBuffer Buffer => buffer;

    /// <summary>Asks the store about the transactions the buffer does not know the END of yet (retried until it answers).</summary>
    public async Task LookUpAsync(ResiliencePipeline untilStoreAnswers, NpgsqlDataSource store, CancellationToken stopping)
    {
        var due = buffer.ToLookUp(ends.Find);
        if (due.Count == 0)
        {
            return;
        }

        var found = await untilStoreAnswers.ExecuteAsync(async ct => await transactions.LookUpAsync(store, due, ct), stopping);
        foreach (var (xid, commit, expected, stored) in found)
        {
            buffer.LookedUp(xid, commit is { } c && expected is { } e ? new TransactionEnd(c, e, null) : null, stored);
        }
    }

    public BufferRelease Release(IReadOnlyCollection<(string Topic, int Partition)> assigned, int maxRecords)
    {
        var release = buffer.Release(ends.Find, assigned, maxRecords);
        _unarrived.AddRange(release.Unarrived);
        return release;
    }

    /// <summary>Events proven never to arrive, for the next store transaction (kept if it fails: the lane keeps them for its retries).</summary>
    public List<TransactionEvent> TakeUnarrived()
    {
        var taken = _unarrived.ToList();
        _unarrived.Clear();
        return taken;
    }
}
