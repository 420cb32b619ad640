using Cdc.Common.Kafka;

namespace Cdc.Common.Tests.Kafka;

/// <summary>Each blocking poll loop raises the thread pool's minimum by one while it runs, and gives it back once.</summary>
public sealed class BlockingPollThreadsTests
{
    [Fact]
    public void A_reservation_raises_the_pools_minimum_until_disposed_once()
    {
        ThreadPool.GetMinThreads(out var before, out var io);

        var first = BlockingPollThreads.Reserve(2);
        using (BlockingPollThreads.Reserve(1))
        {
            Assert.Equal(Math.Max(Environment.ProcessorCount, before + 3), MinWorkers());
        }

        first.Dispose();
        first.Dispose();

        Assert.Equal(Math.Max(Environment.ProcessorCount, before), MinWorkers());
        ThreadPool.GetMinThreads(out _, out var ioAfter);
        Assert.Equal(io, ioAfter);
    }

    private static int MinWorkers()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        return workers;
    }
}
