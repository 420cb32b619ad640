using Npgsql;

namespace Cdc.Benchmarks.Support;

/// <summary>
/// Repeats a measurement the PostgreSQL server interrupted (restarted or shut down under it, as the fault tests
/// sharing this server do): such a run measures nothing, so it is thrown away and run again.
/// </summary>
public static class ServerRestarts
{
    private const int Attempts = 3;

    public static async Task<T> RetryAsync<T>(string what, Func<Task<T>> measure, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await measure();
            }
            catch (Exception e) when (attempt < Attempts && !ct.IsCancellationRequested && Interrupted(e))
            {
                await Console.Error.WriteLineAsync($"  {what} interrupted by the PostgreSQL server ({e.GetBaseException().Message}); waiting 5 s and running it again");
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }
        }
    }

    /// <summary>Admin shutdown, crash shutdown, cannot-connect-now, or a connection failure (class 08), anywhere in the chain.</summary>
    public static bool Interrupted(Exception e)
    {
        for (var current = (Exception?)e; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: var state } && (state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal)))
            {
                return true;
            }

            if (current is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return e is InvalidOperationException && e.Message.Contains("57P0", StringComparison.Ordinal);
    }
}
