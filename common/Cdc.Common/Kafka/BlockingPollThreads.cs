namespace Cdc.Common.Kafka;

/// <summary>
/// A loop that spends its life blocked in librdkafka's consume call holds a thread-pool thread the pool cannot see is
/// waiting. The pool starts with one thread per core (2 here) and adds threads only when it finds itself starved (about
/// one per 500 ms), and retires idle ones after 20 s: with a worker's consume loop and its transaction tracker each
/// holding a thread, the store I/O of a batch queued behind them waited a second at a time (the 5,000-order flip's
/// ~1 s outliers in <c>cdc bench e2e</c>). Each such loop raises the pool's minimum by one while it runs, so the pool
/// keeps a thread for everything else.
/// </summary>
public static class BlockingPollThreads
{
    private static readonly Lock Gate = new();

    /// <summary>Raises the pool's minimum worker threads by <paramref name="loops"/> until the result is disposed.</summary>
    public static IDisposable Reserve(int loops)
    {
        Adjust(loops);
        return new Reservation(loops);
    }

    private static void Adjust(int delta)
    {
        lock (Gate)
        {
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(Environment.ProcessorCount, workers + delta), io);
        }
    }

    private sealed class Reservation(int loops) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Adjust(-loops);
            }
        }
    }
}
