using Npgsql;

namespace Cdc.Common.Postgres;

/// <summary>Which of the tables a command was told about a database does not have.</summary>
public static class PgTables
{
    /// <summary>The tables of <paramref name="tables"/> <paramref name="database"/> does not have, as <c>schema.table</c>, in the given order.</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(NpgsqlDataSource database, IReadOnlyList<(string Schema, string Table)> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(tables);
        var missing = new List<string>();
        if (tables.Count == 0)
        {
            return missing;
        }

        await using var command = database.CreateCommand("SELECT n::int4 FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n) WHERE to_regclass(name) IS NULL ORDER BY n");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tables.Select(t => PgIdentifier.Quote(t.Schema, t.Table))] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (schema, table) = tables[reader.GetInt32(0) - 1];
            missing.Add($"{schema}.{table}");
        }

        return missing;
    }

    /// <summary>"a.b does" / "a.b, c.d do": the subject and verb of a message about <paramref name="missing"/>.</summary>
    public static string DoesOrDo(IReadOnlyList<string> missing) =>
        $"{string.Join(", ", missing)} {(missing.Count == 1 ? "does" : "do")}";
}
