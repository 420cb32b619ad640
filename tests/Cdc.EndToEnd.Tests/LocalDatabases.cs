using Cdc.DevKit;
using Cdc.Testing;
using Npgsql;

namespace Cdc.EndToEnd.Tests;

/// <summary>The databases and slot a local run (demo, chaos) made under one prefix, dropped after the test.</summary>
internal static class LocalDatabases
{
    public static string NewPrefix(string purpose) => $"cdc_t_{purpose}_{Guid.NewGuid():N}"[..24];

    /// <summary>The test's server for the CLI, and the repository (chaos restarts the server with its script).</summary>
    public static Dictionary<string, string> Environment(PostgresFixture postgres) => new()
    {
        ["CDC_POSTGRES"] = postgres.AdminConnectionString,
        ["CDC_ROOT"] = BuiltCommands.RepositoryRoot,
    };

    public static async Task DropAsync(string admin, string prefix)
    {
        // Not from the pool: chaos restarted the server, and a pooled connection from before would be dead.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using (var slots = new NpgsqlCommand("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active", connection))
        {
            slots.Parameters.Add(new() { Value = $"{prefix}_slot" });
            await slots.ExecuteNonQueryAsync();
        }

        foreach (var name in new[] { $"{prefix}_primary", $"{prefix}_risk", $"{prefix}_analytics" })
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
