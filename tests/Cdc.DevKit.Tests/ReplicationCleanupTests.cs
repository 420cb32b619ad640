using Cdc.Testing;
using Npgsql;

namespace Cdc.DevKit.Tests;

public sealed class ReplicationCleanupTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task DropAsync_SlotAndPublication_BothGoneAndASecondCallFindsNothing()
    {
        var database = await postgres.CreateDatabaseAsync();
        var name = $"cdc_test_cleanup_{Guid.NewGuid():N}"[..28];
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            // Two statements: a slot cannot be created in a transaction that wrote.
            foreach (var sql in new[] { $"CREATE TABLE t (id int PRIMARY KEY); CREATE PUBLICATION {name} FOR TABLE t", $"SELECT pg_create_logical_replication_slot('{name}', 'pgoutput')" })
            {
                await using var setup = new NpgsqlCommand(sql, connection);
                await setup.ExecuteNonQueryAsync();
            }
        }

        var dropped = await ReplicationCleanup.DropAsync(database, name, name);
        var again = await ReplicationCleanup.DropAsync(database, name, name);

        Assert.True(dropped);
        Assert.False(again);
        await using var check = new NpgsqlConnection(database);
        await check.OpenAsync();
        await using var left = new NpgsqlCommand("SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1) + (SELECT count(*) FROM pg_publication WHERE pubname = $1)", check);
        left.Parameters.Add(new() { Value = name });
        Assert.Equal(0L, (long)(await left.ExecuteScalarAsync())!);
    }
}
