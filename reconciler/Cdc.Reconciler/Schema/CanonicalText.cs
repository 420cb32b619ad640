using Cdc.Common.Postgres;
using Cdc.Schemas.Connect;
using Cdc.Store.Catalog;

namespace Cdc.Reconciler.Schema;

/// <summary>
/// The canonical text of a column on each side: one SQL text expression per side whose values are equal exactly when
/// the two values are equal under the sink's mapping (<c>PostgresTypeMapping.ColumnTypeFor</c>: varchar as text, json as
/// jsonb, money as numeric, enums, domains, composites and network types kept as their text...), and NULL exactly when
/// the value is NULL. Rows are compared as the list of these texts, never as one joined string, so no value can spill
/// into its neighbour (see <see cref="Compare.RangeSql"/>).
/// <para>
/// Both sessions run with the same output settings (<see cref="SessionOptions"/>: UTC, ISO dates, postgres interval
/// style, hex bytea, shortest exact floats), and every text is compared byte for byte (<c>COLLATE "C"</c>), so the
/// servers' time zones and collations do not matter. Identical types keep their own text: scale, interval fields and
/// float bits are all compared. Differences the pipeline makes on purpose are normalised, each named here: a
/// <c>timetz</c> is compared as its UTC time (Debezium's ZonedTime keeps no offset); a <c>bit varying(n)</c> padded to
/// n bits (Debezium's Bits carries n, not the value's own length); a <c>point</c> stored as
/// Debezium's struct in <c>jsonb</c> by its x and y; <c>char(n)</c> padding is not significant; a store column whose
/// type fixes the scale of its numerics, or another numeric type, compares numbers by value.
/// </para>
/// </summary>
internal static class CanonicalText
{
    /// <summary>Npgsql <c>Options</c> for both connections: the output settings canonical text depends on.</summary>
    public const string SessionOptions = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c bytea_output=hex -c extra_float_digits=1";

    private static readonly string[] Integers = ["smallint", "integer", "bigint"];

    /// <summary>The expressions for both sides, or null with the reason when the types cannot be compared.</summary>
    public static (SideText Primary, SideText Store)? For(TableColumn primary, TableColumn store, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(store);
        refusal = null;
        var texts = Texts(primary, store, PgIdentifier.Quote(primary.Name), PgIdentifier.Quote(store.Name));
        if (texts is not { } pair)
        {
            refusal = $"column {primary.Name}: primary type {primary.PgType} and store type {store.PgType} ({store.Name}) are not comparable"
                + (store.Underlying.Category == 'S' ? ": the sink fills a text column with Debezium's rendering of this type, not PostgreSQL's text" : "");
            return null;
        }

        var (primaryText, storeText) = (Bytewise(pair.Primary), Bytewise(pair.Store));
        return HashInput.For(primary, store) is { } hash ? (primaryText with { Hash = hash.Primary }, storeText with { Hash = hash.Store }) : (primaryText, storeText);
    }

    private static (SideText Primary, SideText Store)? Texts(TableColumn primary, TableColumn store, string p, string s)
    {
        var (a, b) = (primary.Underlying, store.Underlying);
        if (VaryingBits(a) is { } length && b.Category == 'V')
        {
            // Debezium's Bits of a bit varying(n) has length n: the value's own length is not carried, it arrives padded.
            return Both($"lpad({p}::text, {length}, '0')", $"lpad({s}::text, {length}, '0')", invertible: false);
        }

        if (primary.PgType == store.PgType)
        {
            return a.BaseType == "time with time zone" ? Both(Utc(p), Utc(s), invertible: false) : (Output(primary, p), Output(store, s));
        }

        if (IsJson(a) || IsJson(b))
        {
            return Json(primary, store, p, s);
        }

        if (b.Category == 'S')
        {
            return KeptAsText(primary, store, p, s);
        }

        if (a.Category == 'A' && b.Category == 'A')
        {
            return a.BaseType is "json[]" or "jsonb[]" && b.BaseType is "json[]" or "jsonb[]" ? Both($"{p}::jsonb[]::text", $"{s}::jsonb[]::text", invertible: true)
                : a.BaseType == "money[]" ? (new SideText($"{p}::numeric[]::text", true), new SideText($"{s}::text", true))
                : Both($"{p}::text", $"{s}::text", invertible: true);
        }

        if ((a.Category == 'N' || a.BaseType == "money") && b.Category == 'N')
        {
            var value = a.BaseType == "money" ? $"{p}::numeric" : p;
            return IsFloat(a, "real") || IsFloat(b, "real") ? Both($"{value}::real::text", $"{s}::real::text", invertible: true)
                : IsFloat(a, "double precision") || IsFloat(b, "double precision") ? Both($"{value}::float8::text", $"{s}::float8::text", invertible: true)
                : Integers.Contains(a.BaseType) && Integers.Contains(b.BaseType) ? Both($"{p}::text", $"{s}::text", invertible: true)
                // Another numeric type, or a store column that fixes the scale: numbers compare by value.
                : Both($"trim_scale({value}::numeric)::text", $"trim_scale({s}::numeric)::text", invertible: true);
        }

        if (a.Category == b.Category && a.Category is 'D' or 'T' && a.BaseType == b.BaseType)
        {
            // The same type with other modifiers (timestamp(3) / timestamp, interval fields): the unmodified type.
            return a.BaseType == "time with time zone"
                ? Both(Utc($"{p}::timetz"), Utc($"{s}::timetz"), invertible: false)
                : Both($"{p}::{a.BaseType}::text", $"{s}::{a.BaseType}::text", invertible: true);
        }

        if (a.Category == 'V' && b.Category == 'V')
        {
            return Both($"{p}::text", $"{s}::text", invertible: true);
        }

        // Debezium sends bit(1) as a boolean.
        return a.PgType is "bit(1)" or "bit varying(1)" && b.BaseType == "boolean"
            ? (new SideText($"({p} = B'1')::text", false), new SideText($"{s}::text", true))
            : null;
    }

    /// <summary>JSON on either side: compared as jsonb (key order and spacing are not data).</summary>
    private static (SideText, SideText)? Json(TableColumn primary, TableColumn store, string p, string s)
    {
        var (a, b) = (primary.Underlying, store.Underlying);
        if (IsJson(a) && IsJson(b))
        {
            return Both($"{p}::jsonb::text", $"{s}::jsonb::text", invertible: true);
        }

        if (IsJson(a) && b.Category == 'S')
        {
            // A text column keeps the JSON as the connector sent it: PostgreSQL's own text of the value.
            return Both($"{p}::text", $"{s}::text", invertible: true);
        }

        if (a.BaseType == "hstore" && IsJson(b))
        {
            return Both($"{p}::jsonb::text", $"{s}::jsonb::text", invertible: false);
        }

        if (a.BaseType == "point" && IsJson(b))
        {
            // Debezium's Point struct: x and y carry the point (wkb and srid are derived from them or absent).
            return Both(
                $"CASE WHEN {p} IS NOT NULL THEN jsonb_build_object('x', {p}[0], 'y', {p}[1])::text END",
                $"CASE WHEN {s} IS NOT NULL THEN jsonb_build_object('x', ({s}::jsonb ->> 'x')::float8, 'y', ({s}::jsonb ->> 'y')::float8)::text END",
                invertible: false);
        }

        return null;
    }

    /// <summary>A string column in the store holding what the primary keeps in another type.</summary>
    private static (SideText, SideText)? KeptAsText(TableColumn primary, TableColumn store, string p, string s)
    {
        var (a, b) = (primary.Underlying, store.Underlying);
        if (a.Category == 'S')
        {
            // char(n) pads with blanks that are not data; its cast to text drops them, the store's text kept them.
            return IsBlankPadded(a) || IsBlankPadded(b)
                ? (new SideText($"rtrim({p}::text)", IsBlankPadded(a)), new SideText($"rtrim({s}::text)", IsBlankPadded(b)))
                : Both($"{p}::text", $"{s}::text", invertible: true);
        }

        if (!CarriedAsText(primary))
        {
            return null;
        }

        var output = Output(primary, p);
        return IsBlankPadded(b)
            ? (new SideText($"rtrim({output.Expression})", output.Invertible), new SideText($"rtrim({s}::text)", true))
            : (output, new SideText($"{s}::text", true));
    }

    /// <summary>
    /// Debezium carries values of these types as strings holding PostgreSQL's output text (enums, domains and other
    /// types it does not know, composites, network types, uuid, json, xml...): a store may keep them as text.
    /// </summary>
    private static bool CarriedAsText(TableColumn column)
    {
        var schema = PostgresTypeMapping.SchemaFor(column.PgType);
        return schema.Type == ConnectType.String && schema.Name is null or ConnectLogicalNames.Json or ConnectLogicalNames.Xml or ConnectLogicalNames.Uuid
            or ConnectLogicalNames.Enum or ConnectLogicalNames.EnumSet or ConnectLogicalNames.Ltree or ConnectLogicalNames.TsVector;
    }

    /// <summary>
    /// The type's output text (what pgoutput sends): <c>::text</c> except where an explicit cast prints something else
    /// (an inet's cast keeps <c>/32</c>); a domain prints as its base type.
    /// </summary>
    private static SideText Output(TableColumn column, string expression) =>
        column.DomainBase is { } domainBase ? Output(domainBase, $"{expression}::{domainBase.PgType}")
        : column.BaseType == "inet" ? new SideText($"abbrev({expression})", true)
        : new SideText($"{expression}::text", true);

    /// <summary>The n of a <c>bit varying(n)</c>, else null.</summary>
    private static int? VaryingBits(TableColumn column) =>
        column.BaseType == "bit varying" && column.PgType.StartsWith("bit varying(", StringComparison.Ordinal)
            ? int.Parse(column.PgType["bit varying(".Length..^1], System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static string Utc(string expression) => $"({expression} AT TIME ZONE 'UTC')::text";

    private static (SideText, SideText) Both(string primary, string store, bool invertible) => (new(primary, invertible), new(store, invertible));

    /// <summary>Texts hash and compare byte for byte whatever collation the column has (a case-insensitive one would hide drift).</summary>
    private static SideText Bytewise(SideText text) => text with { Expression = $"({text.Expression}) COLLATE \"C\"" };

    private static bool IsJson(TableColumn column) => column.BaseType is "json" or "jsonb";

    private static bool IsFloat(TableColumn column, string type) => column.BaseType == type;

    private static bool IsBlankPadded(TableColumn column) => column.BaseType is "character" or "bpchar";
}
