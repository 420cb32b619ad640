using Cdc.Common.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdc.DevKit;

/// <summary>The PostgreSQL server the dev commands (demo, chaos, benchmarks) work on, named by <c>CDC_POSTGRES</c>.</summary>
public static class LocalPostgres
{
    /// <summary>How long a dev command waits for the server at start (a server being restarted answers within it).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Fails with one line naming the server and the problem when it refuses or does not answer (<see cref="Preflight"/>).</summary>
    /// <exception cref="Common.Configuration.ConfigurationError">Wrong credentials, no such database, or no answer within <see cref="StartTimeout"/>.</exception>
    public static Task CheckAsync(string connectionString, CancellationToken cancellationToken) =>
        Preflight.CheckAsync([new PostgresDependency("PostgreSQL (CDC_POSTGRES)", connectionString)], StartTimeout, NullLogger.Instance, cancellationToken, deadlineFlag: null);
}
