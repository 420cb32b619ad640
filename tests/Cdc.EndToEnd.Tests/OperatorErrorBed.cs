using System.Net;
using System.Net.Sockets;
using Cdc.Testing;
using Npgsql;

namespace Cdc.EndToEnd.Tests;

/// <summary>
/// What the operator-error cases run against: the test server (with a database holding one table, and the same
/// connection with a wrong password or a database that does not exist), a mock Kafka with one topic, a port held
/// by another listener, and a port nothing listens on.
/// </summary>
public sealed class OperatorErrorBed : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private TcpListener? _busy;

    public KafkaFixture Kafka { get; } = new();

    public string Database { get; private set; } = "";

    public string Topic { get; } = KafkaFixture.UniqueName("orders");

    /// <summary>A port another process listens on (every address).</summary>
    public int BusyPort => ((IPEndPoint)_busy!.LocalEndpoint).Port;

    public string WrongPassword => With(b => b.Password = "not-the-password");

    public string MissingDatabase => With(b => b.Database = "cdc_no_such_database");

    /// <summary>The server's address with a port nothing listens on.</summary>
    public string Unreachable => With(b => b.Port = FreeTcpPort.Next());

    public string Admin => _postgres.AdminConnectionString;

    /// <summary>A database of its own, for a case that leaves it in a state the others must not see.</summary>
    public Task<string> CreateDatabaseAsync() => _postgres.CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        // The chaos test (same project) restarts the server: connections pooled before that are dead.
        NpgsqlConnection.ClearAllPools();
        await _postgres.InitializeAsync();
        Database = await _postgres.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(Database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE TABLE public.orders (id bigint PRIMARY KEY, status text)", connection);
            await command.ExecuteNonQueryAsync();
        }

        Kafka.CreateTopic(Topic, partitions: 1);
        _busy = new TcpListener(IPAddress.Any, 0);
        _busy.Start();
    }

    public async Task DisposeAsync()
    {
        _busy?.Stop();
        Kafka.Dispose();
        await _postgres.DisposeAsync();
    }

    private string With(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = new NpgsqlConnectionStringBuilder(Database);
        change(builder);
        return builder.ConnectionString;
    }
}
