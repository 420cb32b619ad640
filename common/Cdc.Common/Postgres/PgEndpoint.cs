using Npgsql;

namespace Cdc.Common.Postgres;

/// <summary>A connection string as logs and messages show it: where, never the credentials.</summary>
public static class PgEndpoint
{
    /// <summary><c>host:port/database</c>.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary><c>host:port/database as user</c>.</summary>
    public static string DescribeWithUser(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return builder.Username is { Length: > 0 } user ? $"{Describe(connectionString)} as {user}" : Describe(connectionString);
    }
}
