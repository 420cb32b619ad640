using Cdc.Benchmarks.Support;
using Npgsql;

namespace Cdc.Benchmarks.Sink;

/// <summary>The PostgreSQL server processes serving the sink, found by the application name it connects with.</summary>
public sealed class StoreBackends(NpgsqlDataSource store)
{
    /// <summary>Put in the sink's connection string so its backends can be told from the benchmark's own.</summary>
    public const string ApplicationName = "cdc-bench-sink";

    /// <summary>CPU seconds the sink's backends have used so far (the server runs on this machine).</summary>
    public async Task<double> CpuSecondsAsync(CancellationToken ct)
    {
        await using var command = store.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = ApplicationName });
        var pids = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                pids.Add(reader.GetInt32(0));
            }
        }

        return CpuTime.Seconds(pids);
    }
}
