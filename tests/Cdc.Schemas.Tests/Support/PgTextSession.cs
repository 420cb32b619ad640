using Npgsql;

namespace Cdc.Schemas.Tests.Support;

/// <summary>
/// A database with the session settings <see cref="Connect.PostgresText"/> documents (DateStyle ISO, IntervalStyle
/// postgres, extra_float_digits 3, bytea_output hex) and a non-UTC TimeZone, to get PostgreSQL's own text of values.
/// Type names are test constants; values always travel as parameters.
/// </summary>
internal sealed class PgTextSession(string connectionString)
{
    public const string Setup = """
        CREATE EXTENSION IF NOT EXISTS hstore;
        CREATE EXTENSION IF NOT EXISTS ltree;
        CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');
        """;

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var settings = new NpgsqlCommand(
            "SET DateStyle = ISO; SET IntervalStyle = postgres; SET extra_float_digits = 3; SET bytea_output = hex; SET TimeZone = 'Asia/Kolkata'",
            connection);
        await settings.ExecuteNonQueryAsync();
        return connection;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stores <paramref name="input"/> in a column of <paramref name="pgType"/>; returns its output text (the type's output function, as pgoutput sends it: <c>format('%s')</c>, unlike a <c>::text</c> cast, keeps bpchar padding and prints booleans as t/f) and <c>format_type</c>.</summary>
    public async Task<(string Text, string FormatType)> StoreAsync(string pgType, string input)
    {
        await using var connection = await OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE TEMP TABLE probe (c {pgType})", connection);
        await create.ExecuteNonQueryAsync();
        await using var insert = new NpgsqlCommand($"INSERT INTO probe (c) VALUES (CAST($1 AS {pgType}))", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = input });
        await insert.ExecuteNonQueryAsync();
        await using var select = new NpgsqlCommand(
            "SELECT format('%s', c), format_type(a.atttypid, a.atttypmod) FROM probe, pg_attribute a WHERE a.attrelid = 'probe'::regclass AND a.attname = 'c'",
            connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }

    /// <summary>
    /// Whether PostgreSQL reads both texts as the same value of <paramref name="pgType"/> with the same output text
    /// (so <c>1.5</c> and <c>1.50</c>, or <c>1 mon</c> and <c>30 days</c>, differ).
    /// </summary>
    public async Task<bool> SameValueAsync(string pgType, string left, string right)
    {
        await using var connection = await OpenAsync();
        var element = pgType.Replace("[]", "", StringComparison.Ordinal);
        // timetz's offset is the documented exception (Debezium's ZonedTime is UTC): the instants must match.
        var comparison = element switch
        {
            "time with time zone" or "time(3) with time zone" => $"timezone('UTC', CAST($1 AS {pgType})) = timezone('UTC', CAST($2 AS {pgType}))",
            _ => $"format('%s', CAST($1 AS {pgType})) = format('%s', CAST($2 AS {pgType}))",
        };
        await using var command = new NpgsqlCommand($"SELECT {comparison}", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = left });
        command.Parameters.Add(new NpgsqlParameter { Value = right });
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
