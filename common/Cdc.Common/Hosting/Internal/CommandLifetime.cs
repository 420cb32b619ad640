using Microsoft.Extensions.Hosting;

namespace Cdc.Common.Hosting.Internal;

/// <summary>
/// The host's lifetime without console signal handlers: the process entry point (<c>Subcommands</c>) already turns
/// SIGTERM and Ctrl-C into the token <see cref="CommandHost"/> links to <c>StopApplication</c>, and the host prints no
/// "Application started" lines of its own.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
