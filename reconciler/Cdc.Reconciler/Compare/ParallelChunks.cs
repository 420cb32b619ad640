namespace Cdc.Reconciler.Compare;

/// <summary>
/// Runs a table's top-level chunks on up to <see cref="ReconcileOptions.Parallel"/> workers at once, each chunk's
/// reads on their own connection per side. Chunks are taken one worker at a time, in key order (the lag pause before
/// each one therefore holds every worker); each chunk's findings are kept apart and returned in key order, whichever
/// worker finished first. The first failure stops the other workers.
/// </summary>
internal static class ParallelChunks
{
    /// <param name="next">The next chunk, or null when the table is done; never called by two workers at once.</param>
    /// <param name="compare">Compares one chunk, adding what differs to the list it is given.</param>
    public static async Task<List<Finding>> RunAsync(
        int workers,
        Func<CancellationToken, Task<KeyRange?>> next,
        Func<KeyRange, List<Finding>, CancellationToken, Task> compare,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var cursor = new SemaphoreSlim(1, 1);
        var results = new SortedDictionary<long, List<Finding>>();
        var gate = new Lock();
        long taken = 0;

        async Task WorkAsync()
        {
            try
            {
                while (true)
                {
                    KeyRange? chunk;
                    long index;
                    await cursor.WaitAsync(stop.Token);
                    try
                    {
                        chunk = await next(stop.Token);
                        index = taken++;
                    }
                    finally
                    {
                        cursor.Release();
                    }

                    if (chunk is null)
                    {
                        return;
                    }

                    var findings = new List<Finding>();
                    await compare(chunk, findings, stop.Token);
                    lock (gate)
                    {
                        results[index] = findings;
                    }
                }
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync()));
        return [.. results.Values.SelectMany(f => f)];
    }
}
