using System.Diagnostics;
using Cdc.Reconciler.Schema;
using Npgsql;

namespace Cdc.Benchmarks.Reconcile;

/// <summary>The baseline: read both tables completely in key order (both at once) and merge-compare them in memory.</summary>
internal static class NaiveComparison
{
    private const string Select = "SELECT id, customer, amount, status, created, note FROM orders ORDER BY id";

    public static async Task<(double Seconds, long Transferred, long Differences)> RunAsync(BenchTables tables, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var primary = await OpenAsync(tables.Primary.ConnectionString, ct);
        await using var store = await OpenAsync(tables.Store.ConnectionString, ct);
        await using var p = await StartAsync(primary, ct);
        await using var s = await StartAsync(store, ct);
        var (pMore, sMore) = (await p.ReadAsync(ct), await s.ReadAsync(ct));
        long transferred = 0;
        long differences = 0;
        var values = new object[6];
        var other = new object[6];
        while (pMore || sMore)
        {
            var pid = pMore ? p.GetInt64(0) : long.MaxValue;
            var sid = sMore ? s.GetInt64(0) : long.MaxValue;
            if (pid == sid)
            {
                p.GetValues(values);
                s.GetValues(other);
                if (!values.SequenceEqual(other))
                {
                    differences++;
                }

                transferred += 2;
                (pMore, sMore) = (await p.ReadAsync(ct), await s.ReadAsync(ct));
            }
            else if (pid < sid)
            {
                differences++;
                transferred++;
                pMore = await p.ReadAsync(ct);
            }
            else
            {
                differences++;
                transferred++;
                sMore = await s.ReadAsync(ct);
            }
        }

        return (clock.Elapsed.TotalSeconds, transferred, differences);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Options = CanonicalText.SessionOptions };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task<NpgsqlDataReader> StartAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Select, connection);
        return await command.ExecuteReaderAsync(ct);
    }
}
