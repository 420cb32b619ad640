using Microsoft.Extensions.Logging;

namespace Cdc.Common.Hosting.Internal;

/// <summary>The host's log messages (event ids 9xxx).</summary>
internal static partial class HostLog
{
    [LoggerMessage(9001, LogLevel.Warning, "waiting for {What} at {Where} ({Reason}); giving up after {Deadline} from start")]
    public static partial void WaitingFor(ILogger logger, string what, string where, string reason, string deadline);

    [LoggerMessage(9002, LogLevel.Critical, "{Command} failed unexpectedly")]
    public static partial void Failed(ILogger logger, Exception error, string command);

    [LoggerMessage(9003, LogLevel.Warning, "drain deadline of {Deadline} passed with work still in flight: exiting without it (it was not committed, so it is done again at the next start)")]
    public static partial void DrainDeadlinePassed(ILogger logger, string deadline);
}
