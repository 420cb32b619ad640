namespace Cdc.Reconciler.Consistency;

/// <summary>Between chunks: while the pipeline lags more than the limit, the check pauses so it does not add to the load.</summary>
internal sealed class LagThrottle(ConsistencyWaiter waiter, long maxLagBytes, TextWriter log, TimeProvider time)
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);
    private long? _lastCheck;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_lastCheck is { } last && time.GetElapsedTime(last) < CheckEvery)
        {
            return;
        }

        _lastCheck = time.GetTimestamp();
        var announced = false;
        while (await waiter.LagBytesAsync(cancellationToken) is var lag && lag > maxLagBytes)
        {
            if (!announced)
            {
                await log.WriteLineAsync($"reconcile: pipeline lags {lag:N0} bytes of WAL (limit {maxLagBytes:N0}): pausing");
                announced = true;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }
}
