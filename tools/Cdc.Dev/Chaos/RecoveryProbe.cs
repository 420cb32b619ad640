using System.Diagnostics;
using Cdc.Benchmarks.Support;
using Npgsql;

namespace Cdc.Dev.Chaos;

/// <summary>
/// Time to recover from a fault: from the moment the fault ends, one marker change committed on the primary (account
/// 1's name, which the writers never touch) until every store shows it: changes flow again. The marker's row is on one
/// partition; the others may still be catching up (a sink that was away reads its backlog, on the mock cluster one
/// producer batch per partition per fetch), so the time until every store has applied everything on every partition
/// (<see cref="ChaosPipeline.CatchUpAsync"/>) is measured after it, and the next fault starts only then: no fault's
/// recovery is measured inside the previous one's catch-up.
/// </summary>
internal static class RecoveryProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <param name="alsoWhen">A further condition of recovery, or null.</param>
    /// <returns>Seconds from <paramref name="healed"/> until the marker showed (recovered) and until every store had caught up.</returns>
    /// <exception cref="TimeoutException">A store did not show the marker (or the condition did not hold, or it did not catch up) within three minutes.</exception>
    public static async Task<(double Recovered, double CaughtUp)> SecondsAsync(ChaosPipeline pipeline, long healed, Func<bool>? alsoWhen, CancellationToken ct)
    {
        var marker = $"probe {Guid.NewGuid():N}";
        await RetryAsync(async () =>
        {
            await using var command = pipeline.Primary.DataSource.CreateCommand("UPDATE public.accounts SET name = $1 WHERE id = 1");
            command.Parameters.Add(new() { Value = marker });
            return await command.ExecuteNonQueryAsync(ct);
        }, pipeline.Primary.DataSource, ct);
        foreach (var (mapping, store, _, _) in pipeline.Sinks)
        {
            while (!await RetryAsync(() => ShowsAsync(store.DataSource, marker, ct), store.DataSource, ct))
            {
                pipeline.ThrowIfExited();
                if (Stopwatch.GetElapsedTime(healed) > Limit)
                {
                    throw new TimeoutException($"the {mapping.Name} store did not show a change committed after the fault within {Limit.TotalMinutes:0} minutes");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            }
        }

        while (alsoWhen is not null && !alsoWhen())
        {
            pipeline.ThrowIfExited();
            if (Stopwatch.GetElapsedTime(healed) > Limit)
            {
                throw new TimeoutException($"the fault did not end in every store within {Limit.TotalMinutes:0} minutes");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        var recovered = Stopwatch.GetElapsedTime(healed).TotalSeconds;
        await pipeline.CatchUpAsync(Limit, ct);
        return (recovered, Stopwatch.GetElapsedTime(healed).TotalSeconds);
    }

    private static async Task<bool> ShowsAsync(NpgsqlDataSource store, string marker, CancellationToken ct)
    {
        await using var command = store.CreateCommand("SELECT name FROM public.accounts WHERE id = 1");
        return Equals(await command.ExecuteScalarAsync(ct), marker);
    }

    /// <summary>Runs <paramref name="action"/> again while the server is restarting under it.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> action, NpgsqlDataSource source, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (!ct.IsCancellationRequested && ServerRestarts.Interrupted(e) && Stopwatch.GetElapsedTime(started) < Limit)
            {
                source.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
        }
    }
}
