namespace Cdc.Sink.Configuration;

/// <summary>Retry and circuit-breaker settings for transient store failures.</summary>
public sealed class ResilienceOptions
{
    /// <summary>Quick retries of one batch before the circuit counts a failure.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the circuit stays open (partitions paused) before a trial batch.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts while the store stays down.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
