using System.Globalization;
using System.Text.RegularExpressions;
using Cdc.Schemas.Connect;

namespace Cdc.Sink.Planning;

/// <summary>
/// Whether a store column is narrower than what a change event's schema now carries (the source column was
/// widened mid-stream), and what to widen it to. Only widenings that keep every stored value are named:
/// smallint → integer → bigint (→ numeric), real → double precision, numeric(p,s) → more integer digits or scale
/// (or unbounded), time(n)/timestamp(n) → more fractional digits, varchar(n) → a longer varchar or text (only when
/// the schema says so, through Debezium's <c>column.propagate.source.type</c> parameters), and a number, boolean, date
/// or uuid column → text when the source column became text (every stored value keeps its text; the connector
/// re-snapshots the table after such a change: docs/design.md#schema-changes). Anything else (a
/// varchar with no length in the schema, an unrelated type) is left to PostgreSQL: a value that does not fit is
/// refused (22001/22003) and dead-lettered, never cut short; without these rules numeric scale and time precision
/// would instead be rounded silently.
/// </summary>
internal static partial class ColumnWidening
{
    private const string SourceTypeParameter = "__debezium.source.column.type";
    private const string SourceLengthParameter = "__debezium.source.column.length";

    private static readonly string[] IntegerRanks = ["smallint", "integer", "bigint"];

    /// <param name="storeType">The column's <c>format_type()</c>.</param>
    /// <returns>The wider type to give the column, or null when it already holds what the schema carries.</returns>
    public static string? WidenedType(string storeType, ConnectSchema schema)
    {
        var wanted = PostgresTypeMapping.ColumnTypeFor(schema);
        if (string.Equals(storeType, wanted, StringComparison.Ordinal))
        {
            return null;
        }

        if (wanted == "text" && ScalarToText().IsMatch(storeType))
        {
            return wanted;
        }

        var storeRank = Array.IndexOf(IntegerRanks, storeType);
        if (storeRank >= 0)
        {
            var wantedRank = Array.IndexOf(IntegerRanks, wanted);
            return wantedRank > storeRank || wanted.StartsWith("numeric", StringComparison.Ordinal) ? wanted : null;
        }

        if (storeType == "real")
        {
            return wanted == "double precision" ? wanted : null;
        }

        if (Numeric().Match(storeType) is { Success: true } stored)
        {
            return WiderNumeric(Number(stored, 1), Number(stored, 2), wanted);
        }

        if (Fraction().Match(storeType) is { Success: true } storedTime && Fraction().Match(wanted) is { Success: true } wantedTime &&
            storedTime.Groups[1].Value == wantedTime.Groups[1].Value && Number(wantedTime, 2) > Number(storedTime, 2))
        {
            return wanted;
        }

        if (Varchar().Match(storeType) is { Success: true } varchar && schema.Type == ConnectType.String)
        {
            return WiderVarchar(Number(varchar, 1), schema);
        }

        return null;
    }

    /// <summary>
    /// The event's column type when the store column cannot hold its values at all (the source column changed to an
    /// unrelated type: <c>timestamp</c> → <c>timestamptz</c>, <c>numeric(10,2)</c> → <c>integer</c>, <c>real</c> →
    /// <c>numeric</c>): the sink retypes the column with PostgreSQL's cast and the table's re-snapshot rewrites its rows
    /// (docs/design.md#schema-changes). Null when <see cref="WidenedType"/> applies or the column already holds every value
    /// of the event's type exactly: a string column (it takes every value's text), a wider number, more fractional digits.
    /// Only types the sink creates itself are retyped (<see cref="SinkCreates"/>).
    /// </summary>
    /// <param name="storeType">The column's <c>format_type()</c>.</param>
    /// <param name="storeCategory">Its <c>pg_type.typcategory</c>.</param>
    public static string? RetypedType(string storeType, char storeCategory, ConnectSchema schema)
    {
        var wanted = PostgresTypeMapping.ColumnTypeFor(schema);
        if (storeCategory == 'S' || storeType == wanted || !SinkCreates(storeType) || WidenedType(storeType, schema) is not null)
        {
            return null;
        }

        return Holds(storeType, wanted) ? null : wanted;
    }

    /// <summary>
    /// A type the sink itself creates for some event schema (it maps to a schema that maps back to it). Any other type
    /// (<c>hstore</c>, <c>bit(1)</c>, <c>json</c>, a domain: Debezium sends them as JSON, a boolean, a string) was chosen by
    /// the store's owner for a value the events carry in another form, and is kept.
    /// </summary>
    private static bool SinkCreates(string storeType) => SinkCreated.GetOrAdd(storeType, static type =>
    {
        try
        {
            return PostgresTypeMapping.ColumnTypeFor(PostgresTypeMapping.SchemaFor(type)) == type;
        }
        catch (ArgumentException)
        {
            return false;
        }
    });

    // Asked for every event of a table whose column differs from the events' type: the answer per type, once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> SinkCreated = new(StringComparer.Ordinal);

    /// <summary>
    /// The comment a retyped column gets, naming the change that retyped it: an event older than that change (still in
    /// flight on another partition, with the old schema) must not retype it back (<see cref="RetypedAt"/>).
    /// </summary>
    public static string RetypeComment(string from, string to, long eventLsn) =>
        string.Create(CultureInfo.InvariantCulture, $"cdc: retyped from {from} to {to} by the change at event LSN {eventLsn}");

    /// <returns>The event LSN of the change that retyped the column (its <see cref="RetypeComment"/>), or null.</returns>
    public static long? RetypedAt(string? comment) =>
        comment is not null && RetypeMarker().Match(comment) is { Success: true } match &&
        long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var lsn)
            ? lsn
            : null;

    private static bool Holds(string store, string wanted)
    {
        if (store.EndsWith("[]", StringComparison.Ordinal) && wanted.EndsWith("[]", StringComparison.Ordinal))
        {
            var (storeElement, wantedElement) = (store[..^2], wanted[..^2]);
            return storeElement is "text" or "character varying" || storeElement == wantedElement || Holds(storeElement, wantedElement);
        }

        var storeRank = Array.IndexOf(IntegerRanks, store);
        var wantedRank = Array.IndexOf(IntegerRanks, wanted);
        if (wantedRank >= 0)
        {
            return storeRank >= wantedRank || store == "numeric" || (store == "double precision" && wantedRank <= 1) || (store == "real" && wantedRank == 0) ||
                   (Numeric().Match(store) is { Success: true } n && Number(n, 1) - Number(n, 2) >= IntegerDigits[wantedRank]);
        }

        if (Numeric().Match(wanted).Success)
        {
            // WidenedType left it: the store's numeric(p,s) already has the digits and scale.
            return store == "numeric" || Numeric().Match(store).Success;
        }

        if (wanted == "real")
        {
            return store == "double precision";
        }

        if (Temporal().Match(store) is { Success: true } s && Temporal().Match(wanted) is { Success: true } w)
        {
            return s.Groups[1].Value == w.Groups[1].Value && Zoned(s) == Zoned(w) && Digits(s) >= Digits(w);
        }

        return store == "bit varying" && wanted.StartsWith("bit", StringComparison.Ordinal);
    }

    // Decimal digits every value of smallint, integer and bigint needs.
    private static readonly int[] IntegerDigits = [5, 10, 19];

    private static bool Zoned(Match temporal) => temporal.Groups[3].Value == " with time zone";

    private static int Digits(Match temporal) => temporal.Groups[2].Success ? Number(temporal, 2) : 6;

    private static string? WiderNumeric(int precision, int scale, string wanted)
    {
        if (wanted == "numeric")
        {
            return wanted;
        }

        if (Numeric().Match(wanted) is not { Success: true } match)
        {
            return null;
        }

        var (wantedPrecision, wantedScale) = (Number(match, 1), Number(match, 2));
        var digits = Math.Max(precision - scale, wantedPrecision - wantedScale);
        var widerScale = Math.Max(scale, wantedScale);
        return digits > precision - scale || widerScale > scale
            ? string.Create(CultureInfo.InvariantCulture, $"numeric({digits + widerScale},{widerScale})")
            : null;
    }

    private static string? WiderVarchar(int length, ConnectSchema schema)
    {
        var sourceType = schema.Parameter(SourceTypeParameter)?.ToUpperInvariant();
        if (sourceType is "TEXT" or "BPCHAR" && schema.Parameter(SourceLengthParameter) is null)
        {
            return "text";
        }

        return sourceType is "VARCHAR" or "BPCHAR" or "CHAR" &&
               int.TryParse(schema.Parameter(SourceLengthParameter), NumberStyles.None, CultureInfo.InvariantCulture, out var wanted) &&
               wanted > length && wanted <= 10_485_760
            ? string.Create(CultureInfo.InvariantCulture, $"character varying({wanted})")
            : null;
    }

    private static int Number(Match match, int group) => int.Parse(match.Groups[group].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^numeric\((\d+),(-?\d+)\)$")]
    private static partial Regex Numeric();

    [GeneratedRegex(@"^(time|timestamp)\((\d)\)( without time zone)?$")]
    private static partial Regex Fraction();

    [GeneratedRegex(@"^cdc: retyped from .* by the change at event LSN (\d+)$")]
    private static partial Regex RetypeMarker();

    [GeneratedRegex(@"^(time|timestamp)(?:\((\d)\))?( with time zone| without time zone)?$")]
    private static partial Regex Temporal();

    [GeneratedRegex(@"^(smallint|integer|bigint|real|double precision|numeric(\(\d+,-?\d+\))?|boolean|date|uuid)$")]
    private static partial Regex ScalarToText();

    [GeneratedRegex(@"^character varying\((\d+)\)$")]
    private static partial Regex Varchar();
}
