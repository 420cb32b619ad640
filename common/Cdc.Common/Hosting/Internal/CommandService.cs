using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cdc.Common.Hosting.Internal;

/// <summary>
/// Runs the command as the host's one background service: the preflight checks, then the work with the host's
/// stopping token. Whatever it ends with (an exit code or an exception) is kept for <see cref="CommandHost"/>, never
/// logged by the host, and the host is asked to stop.
/// </summary>
internal sealed class CommandService<TOptions>(
    CommandDefinition<TOptions> command,
    IOptions<TOptions> options,
    ILoggerFactory loggers,
    HostSettings settings,
    CommandConsole console,
    IHostApplicationLifetime lifetime) : BackgroundService
    where TOptions : class, new()
{
    private readonly TaskCompletionSource<int> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The exit code, or the exception the command failed with; still running after a missed drain deadline.</summary>
    public Task<int> Outcome => _outcome.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var logger = loggers.CreateLogger(command.LogCategory);
            var value = options.Value;
            await Preflight.CheckAsync(command.Dependencies(value), settings.StartTimeout, logger, stoppingToken);
            _outcome.TrySetResult(await command.Run(new CommandContext<TOptions>(value, loggers, logger, console, settings), stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _outcome.TrySetResult(command.StoppedExitCode);
        }
        catch (Exception e)
        {
            _outcome.TrySetException(e);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
