using Cdc.Common.Postgres;
using Cdc.Store.Catalog;

namespace Cdc.Reconciler.Schema;

/// <summary>
/// What a row's hash reads of a column whose type is the same on both sides, when that is cheaper than its canonical
/// text and exactly as fine: equal exactly when the texts are equal (issue 17; rendering a timestamp or a numeric as
/// text was most of a row's hash). The value itself where its type's hash function reads all of it (integers up to 32
/// bits, date, boolean, uuid, bytea); the type's binary send form where that hash function would fold or normalise the
/// value (bigint and the timestamps fold their two 32-bit halves together, numeric ignores the scale, interval counts a
/// day as 24 hours) while the send form carries every field the text shows. Floats keep their text (the send form
/// tells apart NaNs that print alike), as do text types (already text) and every other type.
/// </summary>
internal static class HashInput
{
    private static readonly Dictionary<string, string> SendFunctions = new(StringComparer.Ordinal)
    {
        ["bigint"] = "pg_catalog.int8send",
        ["timestamp without time zone"] = "pg_catalog.timestamp_send",
        ["timestamp with time zone"] = "pg_catalog.timestamptz_send",
        ["time without time zone"] = "pg_catalog.time_send",
        ["interval"] = "pg_catalog.interval_send",
        ["numeric"] = "pg_catalog.numeric_send",
    };

    private static readonly HashSet<string> HashedWhole = new(StringComparer.Ordinal) { "smallint", "integer", "date", "boolean", "uuid", "bytea" };

    /// <summary>Both sides' hash input for the column, or null where the row hash reads the canonical text.</summary>
    public static (string Primary, string Store)? For(TableColumn primary, TableColumn store)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(store);
        if (primary.PgType != store.PgType || primary.DomainBase is not null || store.DomainBase is not null)
        {
            return null;
        }

        var type = primary.BaseType;
        return HashedWhole.Contains(type) ? (PgIdentifier.Quote(primary.Name), PgIdentifier.Quote(store.Name))
            : SendFunctions.TryGetValue(type, out var send) ? ($"{send}({PgIdentifier.Quote(primary.Name)})", $"{send}({PgIdentifier.Quote(store.Name)})")
            : null;
    }
}
