using System.Text;
using Cdc.Common.Postgres;
using Cdc.Sink.Configuration;

namespace Cdc.Reconciler.Schema;

/// <summary>A primary table and the store table the sink maps it to, with the compared columns (keys first).</summary>
public sealed class TablePair(SideTable primary, SideTable store, IReadOnlyList<ColumnPair> columns, DeleteMode deleteMode, bool storeHasVersion)
{
    public SideTable Primary { get; } = primary;

    public SideTable Store { get; } = store;

    /// <summary>Key columns first (in key order), then the other mapped columns in the primary's order.</summary>
    public IReadOnlyList<ColumnPair> Columns { get; } = columns;

    public IReadOnlyList<ColumnPair> Keys { get; } = [.. columns.Where(c => c.IsKey)];

    public DeleteMode DeleteMode { get; } = deleteMode;

    /// <summary>The store carries <c>_cdc_commit_lsn</c>/<c>_cdc_event_lsn</c> (the sink made it).</summary>
    public bool StoreHasVersion { get; } = storeHasVersion;

    /// <summary>Soft deletes and the store has the flag: rows flagged deleted count as absent.</summary>
    public bool SoftDeletes => DeleteMode == DeleteMode.Soft && Store.Find(Sink.Store.SinkColumns.Deleted) is not null;

    /// <summary>A single integer key: ranges split by arithmetic and hashed per bucket in one pass.</summary>
    public bool HasIntegerKey => Keys.Count == 1 && Keys[0].Primary.BaseType is "smallint" or "integer" or "bigint";

    public string Name => Primary.Name.ToString();

    /// <summary>The canonical row text: mapped columns' canonical text joined by U+001F, NULL written <c>\N</c>.</summary>
    public string RowText(bool primary)
    {
        var text = new StringBuilder("concat_ws(E'\\x1f'");
        foreach (var column in Columns)
        {
            var expression = primary ? column.PrimaryExpression : column.StoreExpression;
            var notNull = column.IsKey || (column.Primary.NotNull && column.Store.NotNull);
            text.Append(", ").Append(notNull ? expression : $"coalesce(({expression})::text, E'\\\\N')");
        }

        return text.Append(')').ToString();
    }

    /// <summary>The canonical key text (columns joined by U+001F): the row's identity on both sides.</summary>
    public string KeyText(bool primary) =>
        $"concat_ws(E'\\x1f', {string.Join(", ", Keys.Select(k => primary ? k.PrimaryExpression : k.StoreExpression))})";

    public string QuotedTable(bool primary) => (primary ? Primary : Store).Name.Quoted;

    public IEnumerable<string> QuotedKeys(bool primary) => Keys.Select(k => PgIdentifier.Quote(primary ? k.Primary.Name : k.Store.Name));

    /// <summary>Rows that exist on this side (a soft-deleted store row does not).</summary>
    public string Visible(bool primary) => !primary && SoftDeletes ? $"NOT coalesce({PgIdentifier.Quote(Sink.Store.SinkColumns.Deleted)}, false)" : "true";
}
