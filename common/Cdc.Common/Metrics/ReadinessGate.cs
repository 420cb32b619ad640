namespace Cdc.Common.Metrics;

/// <summary>
/// A thread-safe readiness flag a host flips as it starts, loses and regains its dependencies; pass
/// <see cref="Check"/> to <see cref="MetricsServer"/>. Starts not ready ("starting").
/// </summary>
public sealed class ReadinessGate
{
    private volatile string? _notReadyReason = "starting";

    public bool IsReady => _notReadyReason is null;

    public void MarkReady() => _notReadyReason = null;

    public void MarkNotReady(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _notReadyReason = reason;
    }

    public ReadinessStatus Check() =>
        _notReadyReason is { } reason ? ReadinessStatus.NotReady(reason) : ReadinessStatus.Ready;
}
