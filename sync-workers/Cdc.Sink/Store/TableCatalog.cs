using System.Collections.Concurrent;
using Cdc.Sink.Planning;
using Npgsql;

namespace Cdc.Sink.Store;

/// <summary>Cached metadata of target tables, read from <c>pg_catalog</c>. Invalidated after DDL or an apply error.</summary>
public sealed class TableCatalog(NpgsqlDataSource store)
{
    private readonly ConcurrentDictionary<(string Schema, string Table), TableInfo?> _tables = new();

    /// <summary>The cached metadata, if cached; <paramref name="info"/> is null for a table known not to exist.</summary>
    public bool TryGet(TableTarget target, out TableInfo? info) => _tables.TryGetValue((target.Schema, target.Table), out info);

    public void Invalidate(TableTarget target) => _tables.TryRemove((target.Schema, target.Table), out _);

    public void InvalidateAll() => _tables.Clear();

    /// <summary>Reads the table's metadata from the store and caches it; null when the table does not exist.</summary>
    public async Task<TableInfo?> LoadAsync(TableTarget target, CancellationToken cancellationToken)
    {
        var info = await ReadAsync(target.Schema, target.Table, cancellationToken);
        _tables[(target.Schema, target.Table)] = info;
        return info;
    }

    private async Task<TableInfo?> ReadAsync(string schema, string table, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relname = @table AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum;

            SELECT a.attname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE n.nspname = @schema AND c.relname = @table
              AND i.indexrelid = (
                SELECT i2.indexrelid FROM pg_index i2
                WHERE i2.indrelid = c.oid AND (i2.indisprimary OR i2.indisunique) AND i2.indpred IS NULL AND i2.indexprs IS NULL
                ORDER BY i2.indisprimary DESC, i2.indexrelid LIMIT 1)
            ORDER BY k.ord;
            """;
        await using var command = store.CreateCommand(sql);
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<TableColumn>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        var key = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            key.Add(reader.GetString(0));
        }

        return columns.Count == 0 ? null : new TableInfo(schema, table, columns, key);
    }
}
