using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.Store.Catalog;

/// <summary>
/// The one reader of table metadata from <c>pg_catalog</c>, for the sink's target tables and for both sides the
/// reconciler compares: columns with their types, and the key by <see cref="KeyRule"/>.
/// </summary>
public static class StoreCatalog
{
    private const string ColumnsSql = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), format_type(a.atttypid, NULL), t.typcategory, t.typtype,
               a.attnotnull, a.attcollation <> 0, c.relkind = 'p',
               format_type(d.oid, d.typmod), format_type(d.oid, NULL), bt.typcategory, bt.typtype, col_description(c.oid, a.attnum)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN LATERAL (
            WITH RECURSIVE base (oid, typmod, level) AS (
                SELECT t.typbasetype, t.typtypmod, 1 WHERE t.typtype = 'd'
                UNION ALL
                SELECT b.typbasetype, b.typtypmod, base.level + 1 FROM base JOIN pg_type b ON b.oid = base.oid WHERE b.typtype = 'd')
            SELECT oid, typmod FROM base ORDER BY level DESC LIMIT 1) d ON true
        LEFT JOIN pg_type bt ON bt.oid = d.oid
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    private static readonly string KeySql = $"""
        SELECT a.attname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_index i ON i.indexrelid = {KeyRule.IndexOf("c.oid")}
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
        ORDER BY k.ord
        """;

    /// <summary>The table's columns and key; null when no such table (or partitioned table) exists.</summary>
    public static async Task<TableInfo?> ReadAsync(NpgsqlDataSource source, string schema, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var batch = source.CreateBatch();
        foreach (var sql in new[] { ColumnsSql, KeySql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var columns = new List<TableColumn>();
        var partitioned = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            partitioned = reader.GetBoolean(7);
            columns.Add(new TableColumn(name, reader.GetString(1))
            {
                BaseType = reader.GetString(2),
                Category = reader.GetChar(3),
                TypeKind = reader.GetChar(4),
                NotNull = reader.GetBoolean(5),
                Collatable = reader.GetBoolean(6),
                Comment = await reader.IsDBNullAsync(12, cancellationToken) ? null : reader.GetString(12),
                DomainBase = await reader.IsDBNullAsync(8, cancellationToken) ? null : new TableColumn(name, reader.GetString(8))
                {
                    BaseType = reader.GetString(9),
                    Category = reader.GetChar(10),
                    TypeKind = reader.GetChar(11),
                    NotNull = reader.GetBoolean(5),
                    Collatable = reader.GetBoolean(6),
                },
            });
        }

        await reader.NextResultAsync(cancellationToken);
        var key = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            key.Add(reader.GetString(0));
        }

        return columns.Count == 0 ? null : new TableInfo(schema, table, columns, key) { IsPartitioned = partitioned };
    }

    /// <summary>
    /// The tables of a schema whose rows a connector publishes: ordinary tables, leaf partitions included, and no
    /// partitioned parents (their rows are published under their leaves' names).
    /// </summary>
    public static Task<List<(string Schema, string Table)>> TablesAsync(NpgsqlDataSource source, string schema, CancellationToken cancellationToken) =>
        NamesAsync(source, """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 2
            """, schema, cancellationToken);

    /// <summary>The leaf partitions of a partitioned table (sub-partitions resolved), by name.</summary>
    public static Task<List<(string Schema, string Table)>> LeavesAsync(NpgsqlDataSource source, string schema, string table, CancellationToken cancellationToken) =>
        NamesAsync(source, """
            SELECT n.nspname, c.relname FROM pg_partition_tree(to_regclass($1)) p
            JOIN pg_class c ON c.oid = p.relid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE p.isleaf ORDER BY 1, 2
            """, PgIdentifier.Quote(schema, table), cancellationToken);

    private static async Task<List<(string Schema, string Table)>> NamesAsync(NpgsqlDataSource source, string sql, string parameter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var command = source.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add((reader.GetString(0), reader.GetString(1)));
        }

        return names;
    }
}
