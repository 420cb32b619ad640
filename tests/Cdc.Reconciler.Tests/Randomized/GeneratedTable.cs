using Cdc.Common.Postgres;
using Cdc.Store.Mapping;

namespace Cdc.Reconciler.Tests.Randomized;

/// <summary>One generated table: its key, its columns (of <see cref="ColumnKind"/>s), the sink's mapping of it, and the
/// primary's rows as the generator wrote them (row n → one pool index per column, -1 for NULL).</summary>
internal sealed class GeneratedTable(string name, KeyKind key, IReadOnlyList<(string Name, ColumnKind Kind)> columns)
{
    public string Name { get; } = name;

    public KeyKind Key { get; } = key;

    public IReadOnlyList<(string Name, ColumnKind Kind)> Columns { get; } = columns;

    /// <summary>The store table is created by hand with the primary's own types (else the sink creates it from the events).</summary>
    public bool SameTypes { get; init; }

    public DeleteMode DeleteMode { get; init; } = DeleteMode.Hard;

    /// <summary>A column the sink leaves out, or null.</summary>
    public string? Excluded { get; init; }

    /// <summary>A column the sink writes under another name, or null.</summary>
    public (string From, string To)? Rename { get; init; }

    public Dictionary<int, int[]> Rows { get; } = [];

    public int NextRow { get; set; }

    public string StoreColumn(string column) => Rename is { } r && r.From == column ? r.To : column;

    /// <summary>The primary's table, or (<paramref name="store"/>) a store table made by hand with the same types and the sink's columns.</summary>
    public string CreateSql(bool store)
    {
        var keyTypes = Key.Columns.Select(k => $"{PgIdentifier.Quote(k.Column)} {k.Type} NOT NULL");
        var data = Columns.Where(c => !store || c.Name != Excluded).Select(c => $"{PgIdentifier.Quote(store ? StoreColumn(c.Name) : c.Name)} {c.Kind.Type}");
        var bookkeeping = store ? new[] { "_cdc_commit_lsn bigint", "_cdc_event_lsn bigint" }.Concat(DeleteMode == DeleteMode.Soft ? ["_cdc_deleted boolean NOT NULL DEFAULT false"] : Array.Empty<string>()) : [];
        var keyList = string.Join(", ", Key.Columns.Select(k => PgIdentifier.Quote(k.Column)));
        var table = PgIdentifier.Quote("public", Name);
        var create = $"CREATE TABLE {table} ({string.Join(", ", keyTypes.Concat(data).Concat(bookkeeping))}{(Key.UniqueIndex ? "" : $", PRIMARY KEY ({keyList})")})";
        return Key.UniqueIndex
            ? $"{create}; CREATE UNIQUE INDEX {PgIdentifier.Quote(Name + "_key")} ON {table} ({keyList}); ALTER TABLE {table} REPLICA IDENTITY USING INDEX {PgIdentifier.Quote(Name + "_key")}"
            : create;
    }

    public string InsertSql(IEnumerable<int> rows) =>
        $"INSERT INTO {PgIdentifier.Quote("public", Name)} ({string.Join(", ", Key.Columns.Select(k => PgIdentifier.Quote(k.Column)).Concat(Columns.Select(c => PgIdentifier.Quote(c.Name))))}) VALUES "
        + string.Join(", ", rows.Select(n => $"({string.Join(", ", KeyLiterals(n).Concat(Rows[n].Select((v, i) => Value(i, v))))})"));

    public string KeyMatch(int n) =>
        string.Join(" AND ", Key.Columns.Zip(KeyLiterals(n)).Select(p => $"{PgIdentifier.Quote(p.First.Column)} = {p.Second}"));

    public IEnumerable<string> KeyLiterals(int n) => Key.Values(n).Select(ColumnKind.Literal);

    /// <summary>The literal of pool index <paramref name="index"/> of column <paramref name="column"/> (-1: NULL).</summary>
    public string Value(int column, int index) => index < 0 ? "NULL" : $"({Columns[column].Kind.Pool[index]})::{Columns[column].Kind.Type.Replace(" COLLATE ci", "", StringComparison.Ordinal)}";
}
