using System.Diagnostics;
using Npgsql;

namespace Cdc.Cli.Demo;

/// <summary>
/// Watches one store for a status change: one count query every ~5 ms until all the changed orders show the new
/// status there, on a connection of its own opened beforehand.
/// </summary>
internal sealed class FlipProbe : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _count;
    private readonly Subsystem _subsystem;

    private FlipProbe(Subsystem subsystem, NpgsqlConnection connection)
    {
        _subsystem = subsystem;
        _connection = connection;
        var live = subsystem.Mapping.Soft ? " AND NOT _cdc_deleted" : "";
        _count = new NpgsqlCommand($"SELECT count(*) FROM public.{SubsystemMapping.Table} WHERE status = $1{live}", connection);
        _count.Parameters.Add(new NpgsqlParameter { Value = "" });
    }

    public static async Task<FlipProbe> OpenAsync(Subsystem subsystem, CancellationToken ct)
    {
        var connection = await subsystem.Database.DataSource.OpenConnectionAsync(ct);
        var probe = new FlipProbe(subsystem, connection);
        await probe._count.PrepareAsync(ct);
        return probe;
    }

    /// <summary>Milliseconds from <paramref name="committed"/> (a <see cref="Stopwatch"/> timestamp) until
    /// <paramref name="rows"/> rows have <paramref name="status"/> in this store.</summary>
    /// <exception cref="TimeoutException">They did not within a minute.</exception>
    public async Task<double> WaitAsync(long committed, string status, long rows, CancellationToken ct)
    {
        _count.Parameters[0].Value = status;
        while (true)
        {
            var seen = (long)(await _count.ExecuteScalarAsync(ct))!;
            var elapsed = Stopwatch.GetElapsedTime(committed);
            if (seen >= rows)
            {
                return elapsed.TotalMilliseconds;
            }

            _subsystem.ThrowIfStopped();
            if (elapsed > Limit)
            {
                throw new TimeoutException($"{_subsystem.Name}: {seen:#,0} of {rows:#,0} orders in status '{status}' after {Limit.TotalSeconds:0} s");
            }

            await Task.Delay(Interval, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _count.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
