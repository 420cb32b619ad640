using Cdc.Store.Failures;
using Npgsql;

namespace Cdc.Dev.Demo;

/// <summary>
/// The demo's own store queries ride out a PostgreSQL restart as the sink workers do: a transient failure (by the
/// sink's own classification) empties the pool and retries once a second, for up to a minute.
/// </summary>
internal static class StoreRetry
{
    private const int Attempts = 60;

    public static async Task<T> RunAsync<T>(string what, NpgsqlDataSource store, Func<Task<T>> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (attempt < Attempts && !ct.IsCancellationRequested && StoreFailures.Classify(e) == FailureKind.Transient)
            {
                if (attempt == 1)
                {
                    Console.WriteLine($"  {what}: the store is unavailable ({e.Message}); retrying every second");
                }

                store.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }
}
