using Cdc.Common.Postgres;
using Cdc.Schemas.Connect;
using Npgsql;

namespace Cdc.Capture.Source;

/// <summary>
/// Resolves what pgoutput's Relation messages (and the snapshot) leave out: each column's <c>format_type()</c>, its
/// NOT NULL flag and the key (<see cref="KeyRule"/>: the primary key, else a unique index, as the sink and the
/// reconciler read it), through a normal connection. Cached by relation id; a new Relation message (a schema change)
/// replaces the entry.
/// </summary>
internal sealed class RelationCatalog(NpgsqlDataSource source, string topicPrefix, ValueHandling handling)
{
    private static readonly string ColumnsSql = $"""
        SELECT m.name, format_type(m.type_oid, m.type_mod),
               coalesce(a.attnotnull, false),
               coalesce(a.attnum = ANY (i.indkey), false),
               (SELECT rn.nspname || '.' || r.relname FROM pg_class r JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE r.oid = pg_partition_root($1)),
               pg_get_expr(d.adbin, d.adrelid)
        FROM unnest($2::text[], $3::oid[], $4::int4[]) WITH ORDINALITY AS m(name, type_oid, type_mod, position)
        LEFT JOIN pg_attribute a ON a.attrelid = $1 AND a.attname = m.name AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_index i ON i.indexrelid = {KeyRule.IndexOf("$1")}
        ORDER BY m.position
        """;

    private const string TableColumnsSql = """
        SELECT c.oid, array_agg(a.attname ORDER BY a.attnum), array_agg(a.atttypid ORDER BY a.attnum), array_agg(a.atttypmod ORDER BY a.attnum)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND ($3 OR a.attgenerated = '')
        WHERE n.nspname = $1 AND c.relname = $2
        GROUP BY c.oid
        """;

    private readonly Dictionary<uint, TableShape> _byRelation = [];

    public string TopicPrefix => topicPrefix;

    public bool TryGet(uint relationId, out TableShape shape) => _byRelation.TryGetValue(relationId, out shape!);

    /// <summary>Every table resolved so far, in its latest shape.</summary>
    public IEnumerable<TableShape> Shapes => _byRelation.Values;

    /// <summary>Builds (and caches) the shape of a relation from the columns pgoutput announced.</summary>
    public async Task<TableShape> ResolveAsync(
        uint relationId, string schema, string table, IReadOnlyList<(string Name, uint TypeOid, int TypeModifier)> columns, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(ColumnsSql);
        command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = relationId, DataTypeName = "oid" });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. columns.Select(c => c.Name)] });
        command.Parameters.Add(new NpgsqlParameter<uint[]> { TypedValue = [.. columns.Select(c => c.TypeOid)], DataTypeName = "oid[]" });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. columns.Select(c => c.TypeModifier)] });
        var captured = new List<CapturedColumn>(columns.Count);
        string? root = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                root = await reader.IsDBNullAsync(4, cancellationToken) ? null : reader.GetString(4);
                var pgType = reader.GetString(1);
                var schemaFor = PostgresTypeMapping.SchemaFor(pgType, handling);
                var (constant, defaultText) = ColumnDefault.Parse(await reader.IsDBNullAsync(5, cancellationToken) ? null : reader.GetString(5));
                schemaFor = schemaFor with { Optional = !reader.GetBoolean(2), DefaultValue = DefaultValue(defaultText, schemaFor, pgType) };
                captured.Add(new CapturedColumn(reader.GetString(0), pgType, schemaFor, reader.GetBoolean(3)) { ConstantDefault = constant });
            }
        }

        var shape = new TableShape(topicPrefix, relationId, schema, table, captured) { PartitionRoot = root };
        _byRelation[relationId] = shape;
        return shape;
    }

    /// <summary>
    /// A constant default as Debezium puts it into the column's schema (so a sink gives existing rows of an added column
    /// the value PostgreSQL gave them); null for none, or when the text has no Connect form in this mode (NaN in
    /// precise mode): the column is then treated as one without a constant default.
    /// </summary>
    private static object? DefaultValue(string? text, ConnectSchema schema, string pgType)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return PostgresText.Converter(schema, pgType)(text);
        }
        catch (Cdc.Schemas.EventDecodeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Resolves every table of <paramref name="publication"/> at start, so the first Relation message of a table changed
    /// (or renamed) before any change of it streamed is compared with the shape it had (docs/design.md#schema-changes).
    /// </summary>
    public async Task PrimeAsync(string publication, CancellationToken cancellationToken)
    {
        var tables = new List<(string Schema, string Table)>();
        await using (var command = source.CreateCommand("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = publication });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (schema, table) in tables)
        {
            await ResolveAsync(schema, table, generated: false, cancellationToken);
        }
    }

    /// <summary>The shape of a table by name (snapshots), with its current columns; null when it does not exist.</summary>
    public Task<TableShape?> ResolveAsync(string schema, string table, CancellationToken cancellationToken) =>
        ResolveAsync(schema, table, generated: true, cancellationToken);

    /// <param name="generated">Include generated columns (a snapshot reads them; pgoutput's Relation messages leave them out).</param>
    private async Task<TableShape?> ResolveAsync(string schema, string table, bool generated, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(TableColumnsSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = generated });
        uint relationId;
        string[] names;
        uint[] types;
        int[] modifiers;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            relationId = await reader.GetFieldValueAsync<uint>(0, cancellationToken);
            names = await reader.GetFieldValueAsync<string[]>(1, cancellationToken);
            types = await reader.GetFieldValueAsync<uint[]>(2, cancellationToken);
            modifiers = await reader.GetFieldValueAsync<int[]>(3, cancellationToken);
        }

        return await ResolveAsync(relationId, schema, table, [.. names.Select((n, i) => (n, types[i], modifiers[i]))], cancellationToken);
    }

    /// <summary>
    /// <c>SELECT "a", "b" ... FROM "schema"."table"</c>, to run with <see cref="NpgsqlCommand.AllResultTypesAreUnknown"/>:
    /// every column then arrives as its type's output-function text, as pgoutput sends it (a <c>::text</c> cast is not
    /// always that: <c>inet::text</c> adds the mask, <c>bool::text</c> spells true).
    /// </summary>
    public static string SelectText(TableShape shape) =>
        $"SELECT {string.Join(", ", shape.Columns.Select(c => PgIdentifier.Quote(c.Name)))} FROM {PgIdentifier.Quote(shape.Schema, shape.Table)}";
}
