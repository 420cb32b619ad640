using System.Diagnostics;
using System.Globalization;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting.Internal;
using Cdc.Common.Postgres;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Common.Hosting;

/// <summary>
/// Before a command starts its work: does every server it needs answer? A refusal no wait fixes (a wrong password, a
/// database that does not exist, missing privileges) fails at once; a server that does not answer is waited for
/// until the start deadline (a store still starting in the same deployment). Either ends in a
/// <see cref="ConfigurationError"/> that names the server and the problem, so the command exits with code 2.
/// </summary>
public static class Preflight
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <param name="dependencies">The servers, checked in order.</param>
    /// <param name="deadline">How long all of them may take together.</param>
    /// <param name="logger">Says what it waits for.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <param name="deadlineFlag">The flag that sets <paramref name="deadline"/>, named in the message; null when none does.</param>
    /// <param name="waiting">Runs once, before the first wait for a server that does not answer (a caller that already holds
    /// something others wait for, such as a place in a consumer group, gives it up).</param>
    /// <exception cref="ConfigurationError">A dependency refused the command, or did not answer within <paramref name="deadline"/>.</exception>
    public static async Task CheckAsync(
        IEnumerable<Dependency> dependencies, TimeSpan deadline, ILogger logger, CancellationToken cancellationToken, string? deadlineFlag = "--start-timeout",
        Func<Task>? waiting = null)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        var started = Stopwatch.GetTimestamp();
        foreach (var dependency in dependencies)
        {
            switch (dependency)
            {
                case PostgresDependency postgres:
                    await PostgresAsync(postgres, started, deadline, Within(deadline, deadlineFlag), logger, waiting, cancellationToken);
                    break;
                case KafkaDependency kafka:
                    Kafka(kafka, Remaining(started, deadline), Within(deadline, deadlineFlag));
                    break;
                default:
                    throw new ArgumentException($"no preflight check for {dependency.GetType().Name}", nameof(dependencies));
            }
        }
    }

    private static async Task PostgresAsync(
        PostgresDependency dependency, long started, TimeSpan deadline, string within, ILogger logger, Func<Task>? waiting, CancellationToken cancellationToken)
    {
        var where = PgEndpoint.DescribeWithUser(dependency.ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(dependency.ConnectionString) { Pooling = false };
        for (var attempt = 1; ; attempt++)
        {
            var remaining = Remaining(started, deadline);
            builder.Timeout = (int)Math.Clamp(Math.Ceiling(remaining.TotalSeconds), 1, 15);
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (PostgresException e) when (OperatorErrors.IsOperatorState(e.SqlState))
            {
                throw new ConfigurationError($"{dependency.What} at {where}: {OperatorErrors.Postgres(e)}", e);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                var reason = OperatorErrors.OneLine(e.InnerException?.Message ?? e.Message);
                if (Remaining(started, deadline) <= TimeSpan.Zero)
                {
                    throw new ConfigurationError($"cannot reach {dependency.What} at {where} {within}: {reason}", e);
                }

                if (attempt == 1 && waiting is not null)
                {
                    await waiting();
                }

                if (attempt == 1 || attempt % 10 == 0)
                {
                    HostLog.WaitingFor(logger, dependency.What, where, reason, Describe(deadline));
                }

                await Task.Delay(RetryInterval, cancellationToken);
            }
        }
    }

    private static void Kafka(KafkaDependency dependency, TimeSpan remaining, string within)
    {
        var config = new AdminClientConfig { BootstrapServers = dependency.BootstrapServers };
        try
        {
            foreach (var (key, value) in dependency.ClientProperties)
            {
                config.Set(key, value);
            }

            using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
            admin.GetMetadata(remaining > TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
        }
        catch (KafkaException e)
        {
            throw new ConfigurationError($"cannot reach {dependency.What} at {dependency.BootstrapServers} {within}: {e.Error.Reason}", e);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationError($"{dependency.What}: {OperatorErrors.OneLine(e.Message)}", e);
        }
    }

    private static string Within(TimeSpan deadline, string? flag) =>
        flag is null ? $"within {Describe(deadline)}" : $"within {Describe(deadline)} ({flag})";

    private static TimeSpan Remaining(long started, TimeSpan deadline) => deadline - Stopwatch.GetElapsedTime(started);

    /// <summary><c>30 s</c>, <c>2.5 s</c>.</summary>
    public static string Describe(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
