using System.Globalization;
using Npgsql;

namespace Cdc.Testing;

/// <summary>A query's rows as text for assertions: columns joined by <c>|</c>, SQL NULL as <c>NULL</c>.</summary>
public static class DatabaseRows
{
    public static async Task<List<string>> ReadAsync(NpgsqlDataSource source, string sql)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var command = source.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
