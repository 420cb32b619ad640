using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.Benchmarks.Sink;

/// <summary>A database of its own on the benchmark's PostgreSQL server, dropped on dispose.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private const int DropAttempts = 10;

    private readonly string _admin;

    private readonly bool _dropOnDispose;

    private BenchDatabase(string admin, string name, bool dropOnDispose = true)
    {
        _admin = admin;
        _dropOnDispose = dropOnDispose;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 16 }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <param name="admin">A connection string to any database the role can create databases from.</param>
    public static async Task<BenchDatabase> CreateAsync(string admin, string purpose, CancellationToken ct)
    {
        var name = $"cdc_bench_{purpose}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {PgIdentifier.Quote(name)}", connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        return new BenchDatabase(admin, name);
    }

    /// <summary>
    /// Drops <paramref name="name"/> if it exists (closing its connections) and creates it empty. It is kept after
    /// dispose, for inspection, until the next call with the same name.
    /// </summary>
    public static async Task<BenchDatabase> RecreateAsync(string admin, string name, CancellationToken ct)
    {
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {PgIdentifier.Quote(name)} WITH (FORCE)", $"CREATE DATABASE {PgIdentifier.Quote(name)}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        return new BenchDatabase(admin, name, dropOnDispose: false);
    }

    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<(long Rows, string Md5)> ChecksumAsync(string table, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(OrdersTable.ChecksumQuery(table));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetString(1));
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (!_dropOnDispose)
        {
            return;
        }

        // The server may be restarting under us (fault tests share it): retry a while, then say what was left behind.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_admin);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PgIdentifier.Quote(Name)} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                if (attempt == DropAttempts)
                {
                    await Console.Error.WriteLineAsync($"  could not drop database {Name} ({e.Message}): drop it by hand");
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
