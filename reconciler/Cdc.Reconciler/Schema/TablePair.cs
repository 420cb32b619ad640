using Cdc.Common.Postgres;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;

namespace Cdc.Reconciler.Schema;

/// <summary>A primary table and the store table the sink maps it to, with the compared columns (keys first).</summary>
internal sealed class TablePair(TableInfo primary, TableInfo store, TableTarget target, IReadOnlyList<ColumnPair> columns, IReadOnlyList<string> skipped)
{
    private static readonly string[] Integers = ["smallint", "integer", "bigint"];

    public TableInfo Primary { get; } = primary;

    public TableInfo Store { get; } = store;

    /// <summary>The sink's mapping of the table: its name and delete mode in the store.</summary>
    public TableTarget Target { get; } = target;

    /// <summary>Key columns first (in key order), then the other mapped columns in the primary's order.</summary>
    public IReadOnlyList<ColumnPair> Columns { get; } = columns;

    public IReadOnlyList<ColumnPair> Keys { get; } = [.. columns.Where(c => c.IsKey)];

    /// <summary>Mapped columns that could not be compared, each with the reason (the rest of the table still is).</summary>
    public IReadOnlyList<string> Skipped { get; } = skipped;

    /// <summary>
    /// Seed of the row hash, the same on both sides and new for each run: a 64-bit collision that hid a difference in one
    /// run (a chance of about 2^-64 per differing range) is not the same collision in the next.
    /// </summary>
    public long HashSeed { get; init; }

    /// <summary>The store carries <c>_cdc_commit_lsn</c>/<c>_cdc_event_lsn</c> (the sink made it).</summary>
    public bool StoreHasVersion => Store.HasVersionColumns;

    /// <summary>Soft deletes and the store has the flag: rows flagged deleted count as absent.</summary>
    public bool SoftDeletes => Target.DeleteMode == DeleteMode.Soft && Store.HasDeletedColumn;

    public KeyOrder Order =>
        Keys.Count == 1 && Keys.All(k => IsInteger(k.Primary) && IsInteger(k.Store)) ? KeyOrder.Integer
        : Keys.All(SameOrder) ? KeyOrder.Range
        : KeyOrder.Hashed;

    public string Name => $"{Primary.Schema}.{Primary.Table}";

    public string QuotedTable(bool primary) => primary ? PgIdentifier.Quote(Primary.Schema, Primary.Table) : PgIdentifier.Quote(Store.Schema, Store.Table);

    public IEnumerable<string> QuotedKeys(bool primary) => Keys.Select(k => PgIdentifier.Quote(k.Column(primary).Name));

    /// <summary>Rows that exist on this side (a soft-deleted store row does not).</summary>
    public string Visible(bool primary) => !primary && SoftDeletes ? $"NOT coalesce({PgIdentifier.Quote(SinkColumns.Deleted)}, false)" : "true";

    private static bool IsInteger(TableColumn column) => Integers.Contains(column.Underlying.BaseType);

    /// <summary>Both sides sort the key column alike: the same type (or two integer types), and no collation in play.</summary>
    private static bool SameOrder(ColumnPair key)
    {
        var (a, b) = (key.Primary.Underlying, key.Store.Underlying);
        return (a.BaseType == b.BaseType || (IsInteger(a) && IsInteger(b)))
            && !key.Primary.Collatable && !key.Store.Collatable
            && a.TypeKind == 'b' && a.Category is not 'A' and not 'S' && key.PrimaryText.Invertible && key.StoreText.Invertible;
    }
}
