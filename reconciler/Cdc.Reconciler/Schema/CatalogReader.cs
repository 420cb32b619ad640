using Npgsql;

namespace Cdc.Reconciler.Schema;

/// <summary>Reads a table's columns and primary key from <c>pg_catalog</c>; null when the table does not exist.</summary>
internal static class CatalogReader
{
    public static async Task<SideTable?> ReadAsync(NpgsqlDataSource source, TableName name, CancellationToken cancellationToken)
    {
        const string columnsSql = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), format_type(a.atttypid, NULL), t.typcategory, a.attnotnull
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """;
        const string keySql = """
            SELECT a.attname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE n.nspname = $1 AND c.relname = $2 AND i.indisprimary
            ORDER BY k.ord
            """;
        await using var batch = source.CreateBatch();
        foreach (var sql in new[] { columnsSql, keySql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = name.Schema });
            command.Parameters.Add(new NpgsqlParameter { Value = name.Table });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var columns = new List<SideColumn>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new SideColumn(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetChar(3), reader.GetBoolean(4)));
        }

        await reader.NextResultAsync(cancellationToken);
        var key = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            key.Add(reader.GetString(0));
        }

        return columns.Count == 0 ? null : new SideTable(name, columns, key);
    }

    /// <summary>Every ordinary table of a schema, by name.</summary>
    public static async Task<List<TableName>> ListAsync(NpgsqlDataSource source, string schema, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<TableName>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(new TableName(schema, reader.GetString(0)));
        }

        return names;
    }
}
