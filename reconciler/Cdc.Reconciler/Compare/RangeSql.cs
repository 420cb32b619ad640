using Cdc.Common.Postgres;
using Cdc.Reconciler.Schema;

namespace Cdc.Reconciler.Compare;

/// <summary>
/// The statements that read one side of a table pair. Hashing runs inside PostgreSQL (an XOR of
/// <c>hashtextextended</c> over the canonical row text, with the count): only aggregates cross the wire until a
/// range is small enough to fetch. Key bounds are text parameters cast to the side's own key types.
/// </summary>
internal static class RangeSql
{
    private static readonly string Version = $"{SinkColumnsText.Commit}, {SinkColumnsText.Event}";

    public static string Hash(TablePair pair, bool primary, KeyRange range) =>
        $"""
        SELECT count(*), coalesce(bit_xor(hashtextextended({pair.RowText(primary)}, 0)), 0)
        FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)} AND {Predicate(pair, primary, range)}
        """;

    /// <summary>Integer keys: per-bucket hashes of [$1, $2) in buckets of $3 keys, in one pass.</summary>
    public static string Buckets(TablePair pair, bool primary)
    {
        var key = pair.QuotedKeys(primary).Single();
        return $"""
            SELECT ({key}::bigint - $1) / $3, count(*), bit_xor(hashtextextended({pair.RowText(primary)}, 0))
            FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)} AND {key} >= $1 AND {key} < $2 GROUP BY 1
            """;
    }

    /// <summary>Integer keys: smallest and largest key.</summary>
    public static string Bounds(TablePair pair, bool primary)
    {
        var key = pair.QuotedKeys(primary).Single();
        return $"SELECT min({key})::bigint, max({key})::bigint FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)}";
    }

    /// <summary>The key <paramref name="offset"/> rows into the range (key order), as text; none past the end.</summary>
    public static string KeyAt(TablePair pair, bool primary, KeyRange range, long offset) =>
        $"""
        SELECT {string.Join(", ", pair.QuotedKeys(primary).Select(k => $"{k}::text"))}
        FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)} AND {Predicate(pair, primary, range)}
        ORDER BY {string.Join(", ", pair.QuotedKeys(primary))} OFFSET {offset} LIMIT 1
        """;

    public static string FetchRange(TablePair pair, bool primary, KeyRange range) =>
        $"{Select(pair, primary)} WHERE {Predicate(pair, primary, range)}";

    /// <summary>Rows with the given keys: <c>$1..$n</c> are text arrays, one per key column.</summary>
    public static string FetchKeys(TablePair pair, bool primary)
    {
        var keys = pair.Keys.Select((k, i) => (Column: PgIdentifier.Quote(primary ? k.Primary.Name : k.Store.Name), Type: primary ? k.Primary.CastType : k.Store.CastType, Index: i)).ToList();
        var unnest = string.Join(", ", keys.Select(k => $"${k.Index + 1}::text[]"));
        var join = string.Join(" AND ", keys.Select(k => $"t.{k.Column} = u.k{k.Index}::{k.Type}"));
        return $"{Select(pair, primary)} JOIN unnest({unnest}) AS u({string.Join(", ", keys.Select(k => $"k{k.Index}"))}) ON {join}";
    }

    /// <summary>Key text, key values, canonical values, version and visibility (store rows flagged deleted included).</summary>
    private static string Select(TablePair pair, bool primary)
    {
        var values = pair.Columns.Select(c => $"({(primary ? c.PrimaryExpression : c.StoreExpression)})::text");
        var version = !primary && pair.StoreHasVersion ? Version : "NULL::bigint, NULL::bigint";
        var visible = pair.Visible(primary);
        return $"""
            SELECT {pair.KeyText(primary)}, {string.Join(", ", pair.QuotedKeys(primary).Select(k => $"{k}::text"))},
                {string.Join(", ", values)}, {version}, {visible}
            FROM {pair.QuotedTable(primary)} t
            """;
    }

    /// <summary>The range as a row comparison on the side's key columns; <c>$1..$n</c> lower, then upper values.</summary>
    private static string Predicate(TablePair pair, bool primary, KeyRange range)
    {
        var columns = pair.Keys.Select(k => (Column: PgIdentifier.Quote(primary ? k.Primary.Name : k.Store.Name), Type: primary ? k.Primary.CastType : k.Store.CastType)).ToList();
        var row = columns.Count == 1 ? columns[0].Column : $"({string.Join(", ", columns.Select(c => c.Column))})";
        var clauses = new List<string>();
        var parameter = 1;
        foreach (var (bound, op) in new[] { (range.Lower, ">="), (range.Upper, "<") })
        {
            if (bound is null)
            {
                continue;
            }

            var values = columns.Select(c => $"${parameter++}::{c.Type}").ToList();
            clauses.Add($"{row} {op} {(values.Count == 1 ? values[0] : $"({string.Join(", ", values)})")}");
        }

        return clauses.Count == 0 ? "true" : string.Join(" AND ", clauses);
    }
}
