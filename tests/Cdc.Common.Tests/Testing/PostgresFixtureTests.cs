using Cdc.Testing;
using Npgsql;

namespace Cdc.Common.Tests.Testing;

public sealed class PostgresFixtureTests
{
    [Fact]
    public async Task CreateDatabaseAsync_TwoCalls_SeparateDatabasesDroppedOnDispose()
    {
        var fixture = new PostgresFixture();
        await fixture.InitializeAsync();
        var first = await fixture.CreateDatabaseAsync();
        var second = await fixture.CreateDatabaseAsync();
        var names = new[] { first, second }.Select(c => new NpgsqlConnectionStringBuilder(c).Database!).ToArray();
        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal(names[0], await command.ExecuteScalarAsync());
        }

        await fixture.DisposeAsync();

        Assert.All(names, n => Assert.Matches("^cdc_t_[0-9a-f]{32}$", n));
        Assert.NotEqual(names[0], names[1]);
        await using var admin = new NpgsqlConnection(fixture.AdminConnectionString);
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = ANY(@names)", admin);
        exists.Parameters.AddWithValue("names", names);
        Assert.Equal(0L, await exists.ExecuteScalarAsync());
    }

    [Fact]
    public async Task InitializeAsync_ServerUnreachable_FailsSayingRunCdcTest()
    {
        var fixture = PostgresFixture.ForServer("Host=127.0.0.1;Port=1;Username=x;Password=secret;Timeout=2");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);

        Assert.Contains("./cdc test", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
