using System.Diagnostics;

namespace Cdc.Dev.Demo;

/// <summary>Watches one store for a status change: one count query every ~5 ms until all the changed orders show the
/// new status there, or <see cref="Limit"/> passes.</summary>
internal sealed class FlipProbe(Subsystem subsystem)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly string _sql =
        $"SELECT count(*) FROM public.{ShopSchema.Orders} WHERE status = $1{(subsystem.Mapping.Soft ? " AND NOT _cdc_deleted" : "")}";

    /// <summary>Milliseconds from <paramref name="committed"/> (a <see cref="Stopwatch"/> timestamp) until
    /// <paramref name="rows"/> rows have <paramref name="status"/> in this store, or null when they did not within the
    /// limit (<c>Seen</c> says how many did).</summary>
    public async Task<(double? Milliseconds, long Seen)> WaitAsync(long committed, string status, long rows, CancellationToken ct)
    {
        var store = subsystem.Database.DataSource;
        while (true)
        {
            var seen = await StoreRetry.RunAsync($"{subsystem.Name} count", store, () => CountAsync(status, ct), ct);
            var now = Stopwatch.GetTimestamp();
            if (seen >= rows)
            {
                return (Stopwatch.GetElapsedTime(committed, now).TotalMilliseconds, seen);
            }

            subsystem.ThrowIfStopped();
            if (Stopwatch.GetElapsedTime(committed, now) > Limit)
            {
                return (null, seen);
            }

            await Task.Delay(Interval, ct);
        }
    }

    private async Task<long> CountAsync(string status, CancellationToken ct)
    {
        await using var command = subsystem.Database.DataSource.CreateCommand(_sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = status });
        try
        {
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0; // the worker creates the table with the first orders event
        }
    }
}
