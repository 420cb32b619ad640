using System.Collections.Concurrent;
using Npgsql;
using Xunit;

namespace Cdc.Testing;

/// <summary>
/// Real PostgreSQL for tests: the server named by <c>CDC_TEST_POSTGRES</c> (default: the local one that
/// <c>./cdc test</c> installs and starts). Each <see cref="CreateDatabaseAsync"/> gives a throwaway database that is
/// dropped when the fixture is disposed. An unreachable server fails the tests; it never skips them.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "CDC_TEST_POSTGRES";
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres";

    private readonly ConcurrentBag<string> _databases = [];

    /// <summary>The server from <c>CDC_TEST_POSTGRES</c>, else <see cref="DefaultConnectionString"/>.</summary>
    public PostgresFixture()
        : this(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultConnectionString)
    {
    }

    private PostgresFixture(string adminConnectionString)
    {
        AdminConnectionString = adminConnectionString;
    }

    /// <summary>The server's maintenance database; tests should work in their own database instead.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The fixture's own connections are not pooled: the chaos and fault tests restart the server (some from
    /// another process), and a pooled connection from before a restart is dead (57P01).</summary>
    private string Unpooled => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString;

    /// <summary>A fixture for an explicit server (xunit itself uses the parameterless constructor).</summary>
    public static PostgresFixture ForServer(string adminConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adminConnectionString);
        return new PostgresFixture(adminConnectionString);
    }

    public async Task InitializeAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(Unpooled);
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Password = null };
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({builder.ConnectionString}): {e.Message}. " +
                $"Run ./cdc test, which installs and starts it, or point {EnvironmentVariable} at a server.",
                e);
        }
    }

    /// <summary>Creates an empty database <c>cdc_t_{guid}</c> and returns a connection string for it.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) => CreateDatabaseAsync(null, cancellationToken);

    /// <summary>Creates an empty database <c>cdc_t_{guid}</c> and returns a connection string for it.</summary>
    /// <param name="options">Fixed text appended to <c>CREATE DATABASE</c> (e.g. <c>TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'</c>).</param>
    public async Task<string> CreateDatabaseAsync(string? options, CancellationToken cancellationToken = default)
    {
        // Only [a-z0-9_]: safe to quote by hand.
        var name = $"cdc_t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(Unpooled))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" {options}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_databases.IsEmpty)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(Unpooled);
        await connection.OpenAsync();
        while (_databases.TryTake(out var name))
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString));
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
