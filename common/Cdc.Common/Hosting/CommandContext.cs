using Microsoft.Extensions.Logging;

namespace Cdc.Common.Hosting;

/// <summary>What a hosted command runs with: its validated options, its logger and console, the host's settings.</summary>
public sealed record CommandContext<TOptions>(TOptions Options, ILoggerFactory Loggers, ILogger Logger, CommandConsole Console, HostSettings Settings);
