using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Cdc.Dev.Chaos;

/// <summary>
/// Before the verdict: every sink's heals closed (none left in <c>cdc.heals</c> but healed), since a heal still running
/// (or due for another try) is a store not converged yet, and a fault aimed at one sink can open heals in another.
/// The wait is bounded; what stays open is reported (and the verdict shows the rows it left).
/// </summary>
internal static class OpenHeals
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <returns>One line for the report: how long the heals took to close, or which stay open.</returns>
    public static async Task<string> WaitClosedAsync(ChaosPipeline pipeline, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            pipeline.ThrowIfExited();
            var open = new List<string>();
            foreach (var (mapping, store, _, _) in pipeline.Sinks)
            {
                var detail = await RecoveryProbe.RetryAsync(() => OpenAsync(store.DataSource, ct), store.DataSource, ct);
                if (detail is not null)
                {
                    open.Add($"{mapping.Name}: {detail}");
                }
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (open.Count == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"  heals: none open in any store (waited {seconds:0.0} s)");
            }

            if (Stopwatch.GetElapsedTime(started) > Limit)
            {
                return string.Create(CultureInfo.InvariantCulture, $"  heals: still open after {seconds:0} s: {string.Join("; ", open)}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <returns>Null when no heal is open, else the open heals by state and table.</returns>
    private static async Task<string?> OpenAsync(NpgsqlDataSource store, CancellationToken ct)
    {
        await using var command = store.CreateCommand("""
            SELECT string_agg(state || ' ' || source_table || ' #' || id, ', ' ORDER BY id)
            FROM cdc.heals WHERE state <> 'healed'
            """);
        try
        {
            return await command.ExecuteScalarAsync(ct) as string;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }
}
