namespace Cdc.Benchmarks.Capture;

/// <summary>Counts records Kafka acknowledged and keeps each transaction's commit-to-ack lag (fed by the connector's metrics).</summary>
internal sealed class AckCounter
{
    private readonly Lock _lock = new();
    private readonly List<double> _lags = [];
    private long _records;

    public long Records => Interlocked.Read(ref _records);

    public void Add(double lagSeconds, int records)
    {
        lock (_lock)
        {
            _lags.Add(lagSeconds);
        }

        Interlocked.Add(ref _records, records);
    }

    /// <summary>How many transactions were acknowledged so far.</summary>
    public int Snapshot()
    {
        lock (_lock)
        {
            return _lags.Count;
        }
    }

    public List<double> LagsSince(int transactions)
    {
        lock (_lock)
        {
            return _lags[transactions..];
        }
    }

    public async Task UntilAsync(long records, CancellationToken ct)
    {
        while (Records < records)
        {
            await Task.Delay(1, ct);
        }
    }
}
