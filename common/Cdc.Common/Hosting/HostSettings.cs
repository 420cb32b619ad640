namespace Cdc.Common.Hosting;

/// <summary>The host's own settings (root keys <c>StartTimeout</c>, <c>ShutdownTimeout</c>), next to the command's options.</summary>
public sealed class HostSettings
{
    /// <summary>
    /// How long a command waits at start for its PostgreSQL servers and Kafka to answer. A server still unreachable
    /// then ends the command with one line and exit code 2; once started, outages are waited out.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The drain deadline (the Generic Host's <c>ShutdownTimeout</c>): after SIGTERM or Ctrl-C the command finishes
    /// its work in flight (a sink its batch) within this time, or exits without it (nothing uncommitted counts).
    /// 25 s keeps it under a 30 s grace period (compose's <c>stop_grace_period</c>, Kubernetes' default).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
