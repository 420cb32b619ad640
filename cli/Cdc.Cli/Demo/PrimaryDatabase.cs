using Cdc.Benchmarks.Sink;
using Npgsql;

namespace Cdc.Cli.Demo;

/// <summary>The primary: its own database (recreated empty, kept afterwards for inspection) with the shop's schema.</summary>
internal static class PrimaryDatabase
{
    /// <summary>Drops the demo's replication slot (a slot keeps its database from being dropped), recreates the
    /// database and creates the schema.</summary>
    public static async Task<BenchDatabase> CreateAsync(string admin, string databaseName, string slot, CancellationToken ct)
    {
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 OR database = $2", connection);
            command.Parameters.Add(new() { Value = slot });
            command.Parameters.Add(new() { Value = databaseName });
            await command.ExecuteNonQueryAsync(ct);
        }

        var database = await BenchDatabase.RecreateAsync(admin, databaseName, ct);
        await database.ExecuteAsync(ShopSchema.Ddl, ct);
        return database;
    }
}
