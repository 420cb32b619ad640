using Cdc.Common.Postgres;
using Cdc.Schemas.Connect;
using Cdc.Sink.Planning;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Mapping;
using Npgsql;

namespace Cdc.Sink.Store;

/// <summary>
/// Creates target tables, adds columns and widens them (never drops or narrows), retypes a column whose source changed to
/// a type it cannot hold with PostgreSQL's cast (a value the cast refuses fails the DDL: its record is dead-lettered with
/// PostgreSQL's reason, docs/design.md#schema-changes), each change in its own short transaction
/// before the batch that needs it. Also gives user-created tables the sink's version (and soft-delete) columns.
/// </summary>
internal sealed class SchemaManager(NpgsqlDataSource store)
{
    public async Task ApplyAsync(SchemaChange change, CancellationToken cancellationToken)
    {
        var target = change.Target;
        var table = PgIdentifier.Quote(target.Schema, target.Table);
        string sql;
        if (change.CreateTable)
        {
            var columns = change.Columns.Select(c => $"{PgIdentifier.Quote(c.Column)} {PostgresTypeMapping.ColumnTypeFor(c.Schema)}")
                .Concat(SinkColumnDefinitions(target));
            var key = change.KeyColumns.Count == 0 ? "" : $",\n    PRIMARY KEY ({string.Join(", ", change.KeyColumns.Select(PgIdentifier.Quote))})";
            sql = $"""
                CREATE SCHEMA IF NOT EXISTS {PgIdentifier.Quote(target.Schema)};
                CREATE TABLE IF NOT EXISTS {table} (
                    {string.Join(",\n    ", columns)}{key});
                """;
        }
        else
        {
            sql = string.Concat(change.Columns.Select(c =>
                $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {PgIdentifier.Quote(c.Column)} {PostgresTypeMapping.ColumnTypeFor(c.Schema)}{Default(c.Schema)};\n"))
                + string.Concat(change.Widened.Select(c => $"ALTER TABLE {table} ALTER COLUMN {PgIdentifier.Quote(c.Column)} TYPE {c.Type};\n"))
                + string.Concat(change.Retyped.Select(c => $"ALTER TABLE {table} ALTER COLUMN {PgIdentifier.Quote(c.Column)} TYPE {c.To} USING {PgIdentifier.Quote(c.Column)}::{c.To};\n" +
                    (c.EventLsn is { } lsn ? $"COMMENT ON COLUMN {table}.{PgIdentifier.Quote(c.Column)} IS {Literal(ColumnWidening.RetypeComment(c.From, c.To, lsn))};\n" : "")));
        }

        await ExecuteAsync(target, sql, cancellationToken);
    }

    /// <summary>
    /// An added column's default from its schema (Debezium puts a column's constant default there): PostgreSQL gave every
    /// existing row of the primary that value when the column was added, and the store's existing rows get it the same
    /// way (docs/design.md#schema-changes). Rendered as the value's text in an escaped string literal.
    /// </summary>
    private static string Default(ConnectSchema schema)
    {
        if (schema.DefaultValue is null || PgText.ForColumn(PostgresTypeMapping.ColumnTypeFor(schema))(schema.DefaultValue) is not { } text)
        {
            return "";
        }

        return $" DEFAULT {Literal(text)}";
    }

    /// <summary>A text as an escaped string literal, for DDL that takes no parameters.</summary>
    private static string Literal(string text) => $"E'{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>Adds the version columns (and the soft-delete flag) to a table that lacks them.</summary>
    public async Task EnsureSinkColumnsAsync(TableTarget target, CancellationToken cancellationToken)
    {
        var table = PgIdentifier.Quote(target.Schema, target.Table);
        var sql = string.Concat(SinkColumnDefinitions(target).Select(d => $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {d};\n"));
        await ExecuteAsync(target, sql, cancellationToken);
    }

    private static IEnumerable<string> SinkColumnDefinitions(TableTarget target)
    {
        yield return $"{PgIdentifier.Quote(SinkColumns.CommitLsn)} bigint";
        yield return $"{PgIdentifier.Quote(SinkColumns.EventLsn)} bigint";
        if (target.DeleteMode == DeleteMode.Soft)
        {
            yield return $"{PgIdentifier.Quote(SinkColumns.Deleted)} boolean NOT NULL DEFAULT false";
        }
    }

    private async Task ExecuteAsync(TableTarget target, string ddl, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Workers of one deployment may race to create the same table; serialise them per table.
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock(hashtext(@target));\n{ddl}", connection, transaction))
        {
            command.Parameters.AddWithValue("target", target.QualifiedName);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
