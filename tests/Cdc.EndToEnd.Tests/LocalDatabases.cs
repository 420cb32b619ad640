using Cdc.DevKit;
using Cdc.Testing;
using Cdc.Verdict;
using Npgsql;

namespace Cdc.EndToEnd.Tests;

/// <summary>The databases, slot and publication a local run (demo, chaos) made under one prefix.</summary>
internal static class LocalDatabases
{
    public static string NewPrefix(string purpose) => $"cdc_t_{purpose}_{Guid.NewGuid():N}"[..24];

    /// <summary>The test's server for the CLI, and the repository (chaos restarts the server with its script).</summary>
    public static Dictionary<string, string> Environment(PostgresFixture postgres) => new()
    {
        ["CDC_POSTGRES"] = postgres.AdminConnectionString,
        ["CDC_ROOT"] = BuiltCommands.RepositoryRoot,
    };

    /// <summary>The run's replication slots on the server and publications in its primary database, which the run
    /// must have dropped when it ended.</summary>
    public static async Task<List<string>> ReplicationLeftoversAsync(string admin, string prefix)
    {
        var leftovers = new List<string>();
        await using (var connection = await OpenAsync(admin))
        await using (var slots = new NpgsqlCommand("SELECT slot_name::text FROM pg_replication_slots WHERE starts_with(slot_name::text, $1)", connection))
        {
            slots.Parameters.Add(new() { Value = prefix });
            await using var reader = await slots.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                leftovers.Add($"slot {reader.GetString(0)}");
            }
        }

        await using (var primary = await OpenAsync(Primary(admin, prefix)))
        await using (var publications = new NpgsqlCommand("SELECT pubname::text FROM pg_publication", primary))
        await using (var reader = await publications.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                leftovers.Add($"publication {reader.GetString(0)}");
            }
        }

        return leftovers;
    }

    /// <summary>Drops what the run left (its slot first: a slot keeps its database from being dropped).</summary>
    /// <summary>
    /// The independent verdict on a run's two stores, through the mappings the demo and chaos configure: risk keeps every
    /// table and column with hard deletes, analytics leaves out the orders' note and keeps deleted rows flagged.
    /// </summary>
    public static async Task<(StoreVerdict Risk, StoreVerdict Analytics)> VerdictsAsync(string admin, string prefix)
    {
        string Database(string name) => new NpgsqlConnectionStringBuilder(admin) { Database = $"{prefix}_{name}" }.ConnectionString;
        string[] tables = ["accounts", "orders", "order_items"];
        var risk = await IndependentVerdict.CompareAsync(Database("primary"), Database("risk"), tables.Select(t => VerdictTable.Same("public", t)));
        var analytics = await IndependentVerdict.CompareAsync(Database("primary"), Database("analytics"), tables.Select(t => VerdictTable.Same("public", t) with
        {
            Excluded = t == "orders" ? new HashSet<string> { "note" } : new HashSet<string>(),
            SoftDeletes = true,
        }));
        return (risk, analytics);
    }

    public static async Task DropAsync(string admin, string prefix)
    {
        await ReplicationCleanup.DropAsync(Primary(admin, prefix), $"{prefix}_slot", $"{prefix}_publication");
        await using var connection = await OpenAsync(admin);
        foreach (var name in new[] { $"{prefix}_primary", $"{prefix}_risk", $"{prefix}_analytics" })
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string Primary(string admin, string prefix) =>
        new NpgsqlConnectionStringBuilder(admin) { Database = $"{prefix}_primary" }.ConnectionString;

    /// <summary>Not from the pool: chaos restarted the server, and a pooled connection from before would be dead.</summary>
    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
