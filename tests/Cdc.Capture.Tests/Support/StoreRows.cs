using Cdc.Testing;
using Npgsql;

namespace Cdc.Capture.Tests.Support;

/// <summary>Reads rows as text lines, to compare a store with the primary.</summary>
internal static class StoreRows
{
    public static async Task<List<string>> ReadAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var fields = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                fields.Add(await reader.IsDBNullAsync(i) ? "NULL" : reader.GetString(i));
            }

            rows.Add(string.Join("|", fields));
        }

        return rows;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until the store's rows equal <paramref name="expected"/>; on timeout, fails with the difference.</summary>
    public static async Task UntilEqualAsync(string store, string sql, IReadOnlyList<string> expected, TimeSpan timeout)
    {
        List<string> actual = [];
        try
        {
            await Wait.UntilAsync(async () => (actual = await ReadOrEmptyAsync(store, sql)).SequenceEqual(expected), timeout, "the store to equal the primary");
        }
        catch (TimeoutException)
        {
            var differences = expected.Zip(actual).Where(p => p.First != p.Second).SelectMany(p =>
                p.First.Split('|').Zip(p.Second.Split('|')).Select((f, i) => (f, i)).Where(x => x.f.First != x.f.Second)
                    .Select(x => $"row {p.First.Split('|')[0]} field {x.i}: primary '{x.f.First}' store '{x.f.Second}'"));
            Assert.Fail($"the store differs ({expected.Count} vs {actual.Count} rows): {string.Join("; ", differences)}");
            throw;
        }
    }

    /// <summary>The rows, or none while the table is missing or the server is unreachable.</summary>
    public static async Task<List<string>> ReadOrEmptyAsync(string connectionString, string sql)
    {
        try
        {
            return await ReadAsync(connectionString, sql);
        }
        catch (NpgsqlException)
        {
            return [];
        }
    }
}
