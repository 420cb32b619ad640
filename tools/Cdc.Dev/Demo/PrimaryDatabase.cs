using Cdc.Benchmarks.Sink;
using Npgsql;

namespace Cdc.Dev.Demo;

/// <summary>The primary: its own database (recreated empty, kept afterwards for inspection) with the shop's schema.</summary>
internal static class PrimaryDatabase
{
    /// <summary>Drops the run's replication slot (a slot keeps its database from being dropped), recreates the
    /// database, creates the schema and writes <paramref name="orders"/> orders with their writer, before anything
    /// captures them (the source connector's initial snapshot carries them).</summary>
    public static async Task<(BenchDatabase Database, ShopWriter Writer)> CreateSeededAsync(
        string admin, string databaseName, string slot, int orders, int seed, CancellationToken ct)
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
        var writer = new ShopWriter(database.DataSource, seed);
        await writer.SeedAsync(orders, ct);
        return (database, writer);
    }
}
