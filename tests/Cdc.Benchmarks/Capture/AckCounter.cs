namespace Cdc.Benchmarks.Capture;

/// <summary>Counts records Kafka acknowledged and keeps each transaction's commit-to-ack lag (fed by the connector's metrics).</summary>
internal sealed class AckCounter
{
    private readonly Lock _lock = new();
    private readonly List<double> _lags = [];
    private readonly List<(double Seconds, double Lag)> _timeline = [];
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _records;

    public long Records => Interlocked.Read(ref _records);

    public void Add(double lagSeconds, int records)
    {
        lock (_lock)
        {
            _lags.Add(lagSeconds);
            _timeline.Add((System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds, lagSeconds));
        }

        Interlocked.Add(ref _records, records);
    }

    /// <summary>Each acknowledged transaction: seconds since the counter started, its commit-to-ack lag in seconds.</summary>
    public List<(double Seconds, double Lag)> Timeline()
    {
        lock (_lock)
        {
            return [.. _timeline];
        }
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
