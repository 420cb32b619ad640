namespace Cdc.Common.Metrics;

/// <summary>What <c>/readyz</c> answers: ready (200), or not ready (503) with a short reason.</summary>
public readonly record struct ReadinessStatus(bool IsReady, string Reason)
{
    public static ReadinessStatus Ready => new(true, "ready");

    public static ReadinessStatus NotReady(string reason) => new(false, reason);
}
