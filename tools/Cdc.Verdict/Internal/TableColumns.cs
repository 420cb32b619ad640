using Npgsql;

namespace Cdc.Verdict.Internal;

/// <summary>A table's columns and key, read from pg_catalog.</summary>
internal static class TableColumns
{
    public static async Task<List<VerdictColumn>> ReadAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT a.attname, format_type(b.oid, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END), format_type(b.oid, NULL), b.typcategory
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{Sql.Quote(schema)}.{Sql.Quote(table)}" });
        var columns = new List<VerdictColumn>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new VerdictColumn(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetChar(3)));
        }

        return columns.Count > 0 ? columns : throw new InvalidOperationException($"table {schema}.{table} does not exist");
    }

    /// <summary>The primary key's columns, else those of the first unique index (by name) on NOT NULL columns only.</summary>
    public static async Task<List<string>> KeyAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH k AS (
                SELECT i.indexrelid, i.indkey FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = to_regclass($1) AND (i.indisprimary OR (i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                    AND NOT EXISTS (SELECT FROM pg_attribute n WHERE n.attrelid = i.indrelid AND n.attnum = ANY (i.indkey) AND NOT n.attnotnull)))
                ORDER BY i.indisprimary DESC, i.indisreplident DESC, c.relname LIMIT 1)
            SELECT a.attname FROM k, unnest(k.indkey) WITH ORDINALITY AS u(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attnum = u.attnum
            ORDER BY u.ord
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{Sql.Quote(schema)}.{Sql.Quote(table)}" });
        var key = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            key.Add(reader.GetString(0));
        }

        return key;
    }
}
