using System.Diagnostics;

namespace Cdc.Cli.Demo;

/// <summary>
/// Watches one store for a status change: one count query every ~5 ms until all the changed orders show the new
/// status there. Gives up when they cannot come any more: the worker has applied (or dead-lettered) every event and
/// the store still lacks rows a few seconds later.
/// </summary>
internal sealed class FlipProbe(Subsystem subsystem)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private readonly string _sql =
        $"SELECT count(*) FROM public.{SubsystemMapping.Table} WHERE status = $1{(subsystem.Mapping.Soft ? " AND NOT _cdc_deleted" : "")}";

    /// <summary>Milliseconds from <paramref name="committed"/> (a <see cref="Stopwatch"/> timestamp) until
    /// <paramref name="rows"/> rows have <paramref name="status"/> in this store, or null when they never did
    /// (<paramref name="seen"/> says how many did).</summary>
    /// <param name="produced">Events produced up to and including the statement.</param>
    public async Task<(double? Milliseconds, long Seen)> WaitAsync(long committed, string status, long rows, long produced, CancellationToken ct)
    {
        var store = subsystem.Database.DataSource;
        long? caughtUp = null;
        while (true)
        {
            var seen = await StoreRetry.RunAsync($"{subsystem.Name} count", store, () => CountAsync(status, ct), ct);
            var now = Stopwatch.GetTimestamp();
            if (seen >= rows)
            {
                return (Stopwatch.GetElapsedTime(committed, now).TotalMilliseconds, seen);
            }

            subsystem.ThrowIfStopped();
            caughtUp ??= subsystem.Applied >= produced ? now : null;
            if ((caughtUp is { } since && Stopwatch.GetElapsedTime(since, now) > Grace) || Stopwatch.GetElapsedTime(committed, now) > Limit)
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
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
