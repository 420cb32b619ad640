using Cdc.Common.Postgres;

namespace Cdc.Reconciler.Schema;

/// <summary>
/// The canonical text of a column on each side: equal values must render as equal text although the sink may store
/// another type than the primary's (<c>PostgresTypeMapping.ColumnTypeFor</c>: varchar as text, json as jsonb, numeric
/// without its modifier, time(6) for microsecond times...). Both sessions run with the same output settings
/// (<see cref="SessionOptions"/>: UTC, ISO dates, hex bytea, shortest exact floats), so identical types keep their
/// own output text, which is the cheapest; differing types are cast to one both servers agree on.
/// </summary>
public static class CanonicalText
{
    /// <summary>Npgsql <c>Options</c> for both connections: the output settings canonical text depends on.</summary>
    public const string SessionOptions = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c bytea_output=hex -c extra_float_digits=1";

    /// <summary>The expressions for both sides, or null with the reason when the types cannot be compared.</summary>
    public static (string Primary, string Store)? For(SideColumn primary, SideColumn store, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(store);
        refusal = null;
        var p = PgIdentifier.Quote(primary.Name);
        var s = PgIdentifier.Quote(store.Name);
        if (primary.PgType == store.PgType)
        {
            return primary.PgType switch
            {
                // 1.0 and 1.00 are equal numerics with different text; a column without scale keeps the scale it was given.
                "numeric" => ($"trim_scale({p})", $"trim_scale({s})"),
                "json" => ($"{p}::jsonb", $"{s}::jsonb"),
                _ => (p, s),
            };
        }

        if (IsJson(primary) || IsJson(store))
        {
            return IsJson(primary) && (IsJson(store) || store.Category == 'S') ? ($"{p}::jsonb", $"{s}::jsonb") : Refuse(primary, store, out refusal);
        }

        return (primary.Category, store.Category) switch
        {
            ('N', 'N') when IsFloat(primary) || IsFloat(store) => ($"{p}::float8", $"{s}::float8"),
            ('N', 'N') => ($"trim_scale({p}::numeric)", $"trim_scale({s}::numeric)"),
            ('S', 'S') when IsBlankPadded(primary) || IsBlankPadded(store) => ($"rtrim({p}::text)", $"rtrim({s}::text)"),
            ('S', 'S') => ($"{p}::text", $"{s}::text"),
            // Same family, other modifier (timestamp(3) / timestamp, interval fields, bit(n) / varbit...): the primary's unmodified type.
            (var a, var b) when a == b && a is 'D' or 'T' or 'V' or 'B' => ($"{p}::{primary.BaseType}", $"{s}::{primary.BaseType}"),
            // Enums, domains and other types the store keeps as text, and arrays of one family: compare the text.
            ('E' or 'U' or 'A', 'S') or ('A', 'A') => ($"{p}::text", $"{s}::text"),
            _ => Refuse(primary, store, out refusal),
        };
    }

    private static (string, string)? Refuse(SideColumn primary, SideColumn store, out string? refusal)
    {
        refusal = $"column {primary.Name}: primary type {primary.PgType} and store type {store.PgType} ({store.Name}) are not comparable";
        return null;
    }

    private static bool IsJson(SideColumn column) => column.BaseType is "json" or "jsonb";

    private static bool IsFloat(SideColumn column) => column.BaseType is "real" or "double precision";

    private static bool IsBlankPadded(SideColumn column) => column.BaseType is "character" or "bpchar";
}
