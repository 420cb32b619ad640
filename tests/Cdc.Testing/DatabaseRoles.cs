using Npgsql;

namespace Cdc.Testing;

/// <summary>
/// The pipeline's least-privilege roles, created from the same SQL <c>scripts/roles.sh</c> runs
/// (<c>scripts/roles/*.sql</c>), so tests run components with exactly the rights an operator gives them. Roles are
/// cluster-wide: give each test its own name (<see cref="UniqueName"/>) and <see cref="DropAsync"/> it afterwards.
/// Each method connects with <paramref name="adminConnectionString"/>-style superuser strings.
/// </summary>
public static class DatabaseRoles
{
    /// <summary><c>{prefix}_{guid}</c>, a role name no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>The sink's role in its store: owns <paramref name="schemas"/> and their tables, may create schemas and temp tables there.</summary>
    public static Task CreateSinkAsync(string storeConnectionString, string role, string password, params string[] schemas) =>
        RunAsync(storeConnectionString, "sink.sql", ("role", role), ("password", password), ("schemas", string.Join(',', schemas)));

    /// <summary>The source connector's role on the primary: REPLICATION and SELECT on <paramref name="tables"/>; the publication reset to them.</summary>
    public static Task CreateCaptureAsync(string primaryConnectionString, string role, string password, IEnumerable<string> tables, string publication = "", string signalTable = "") =>
        RunAsync(primaryConnectionString, "capture.sql", ("role", role), ("password", password), ("tables", string.Join(',', tables)), ("publication", publication), ("signal_table", signalTable));

    /// <summary>The reconciler's role: reads the primary (and signals re-streams), reads the store and writes its target rows.</summary>
    public static async Task CreateReconcilerAsync(
        string primaryConnectionString, string storeConnectionString, string role, string password, IEnumerable<string> tables, string[] storeSchemas, string metadataSchema = "cdc", string signalTable = "")
    {
        await RunAsync(primaryConnectionString, "reconciler-primary.sql", ("role", role), ("password", password), ("tables", string.Join(',', tables)), ("publication", ""), ("signal_table", signalTable));
        await RunAsync(storeConnectionString, "reconciler-store.sql", ("role", role), ("password", password), ("schemas", string.Join(',', storeSchemas)), ("metadata_schema", metadataSchema));
    }

    /// <summary><paramref name="connectionString"/> logging in as <paramref name="role"/> (no pooling: the role is dropped later).</summary>
    public static string LoginAs(string connectionString, string role, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = password, Pooling = false }.ConnectionString;

    /// <summary>PostgreSQL's SQLSTATE for a missing privilege.</summary>
    public const string InsufficientPrivilege = "42501";

    /// <summary>The SQLSTATE PostgreSQL refuses <paramref name="sql"/> with on <paramref name="connectionString"/>, or null when it ran.</summary>
    public static async Task<string?> RefusalAsync(string connectionString, string sql)
    {
        try
        {
            await ExecuteAsync(connectionString, sql);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    /// <summary>Runs <paramref name="sql"/> on a connection of its own.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, on a connection of its own.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Drops what the role owns and was granted in each database, then the role.</summary>
    public static async Task DropAsync(string role, params string[] adminConnectionStrings)
    {
        foreach (var connectionString in adminConnectionStrings)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP OWNED BY {Quote(role)}", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await using (var connection = new NpgsqlConnection(adminConnectionStrings[0]))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {Quote(role)}", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task RunAsync(string connectionString, string file, params (string Name, string Value)[] settings)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "roles");
        var sql = await File.ReadAllTextAsync(Path.Combine(folder, "common.sql")) + "\n" + await File.ReadAllTextAsync(Path.Combine(folder, file));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (name, value) in settings)
        {
            await using var set = new NpgsqlCommand("SELECT set_config($1, $2, false)", connection);
            set.Parameters.Add(new NpgsqlParameter { Value = "cdc_roles." + name });
            set.Parameters.Add(new NpgsqlParameter { Value = value });
            await set.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Quote(string role) => Cdc.Common.Postgres.PgIdentifier.Quote(role);
}
