using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace Cdc.Common.Resilience;

/// <summary>
/// Every retry in Cdc is a named Polly pipeline started here, one per concern, with Polly's telemetry on: the meter
/// <c>Polly</c> reports each retry, circuit change and timeout as <c>resilience_polly_strategy_events_total</c> with
/// <c>pipeline_name</c>, <c>pipeline_instance</c> and <c>event_name</c> (served on <c>/metrics</c> with Npgsql's).
/// Logging stays with the component, which knows what is down.
/// </summary>
public static class ResiliencePipelines
{
    private static readonly TelemetryOptions Telemetry = new();

    /// <param name="name">The pipeline's name, e.g. <c>cdc-sink-store</c> (the <c>pipeline_name</c> label).</param>
    /// <param name="instance">Which of several instances (a sink's consumer group), or null.</param>
    /// <param name="time">The clock for delays; null for the system's.</param>
    public static ResiliencePipelineBuilder Builder(string name, string? instance = null, TimeProvider? time = null) =>
        new ResiliencePipelineBuilder { Name = name, InstanceName = instance, TimeProvider = time ?? TimeProvider.System }.ConfigureTelemetry(Telemetry);

    /// <summary>Retries until the call succeeds or the token fires: exponential backoff with jitter, from
    /// <paramref name="first"/> up to <paramref name="max"/>, for faults that waiting fixes (an outage).</summary>
    public static RetryStrategyOptions UntilBack(TimeSpan first, TimeSpan max, Func<Exception, bool> handles) => new()
    {
        ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException && handles(e)),
        MaxRetryAttempts = int.MaxValue,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = first,
        MaxDelay = max,
    };
}
