using Cdc.Common.Postgres;
using Cdc.Reconciler.Schema;
using Cdc.Store.Bookkeeping;

namespace Cdc.Reconciler.Compare;

/// <summary>
/// The statements that read one side of a table pair. Hashing runs inside PostgreSQL: a row's hash is
/// <c>hash_record_extended</c> over the list of its columns' canonical texts (<see cref="CanonicalText"/>): each text
/// is hashed on its own and the hashes combined by position, NULL apart from every text, so no value, separator or
/// escape can be mistaken for another or spill into its neighbour. A range's hash is the XOR of its rows' hashes, with
/// the count; only these aggregates cross the wire until a range is small enough to fetch. Key bounds are text
/// parameters cast to the side's own key types.
/// </summary>
internal static class RangeSql
{
    /// <summary>Fetched rows' keys are matched against <c>unnest(...)</c> columns of this reserved name (the sink reserves <c>_cdc_</c>).</summary>
    private const string KeyParameter = "_cdc_key";

    private static readonly string Version = $"{PgIdentifier.Quote(SinkColumns.CommitLsn)}, {PgIdentifier.Quote(SinkColumns.EventLsn)}";

    /// <summary>The row's hash: its columns' canonical texts (or forms equal exactly when those are, <see cref="HashInput"/>), in order (keys first).</summary>
    public static string RowHash(TablePair pair, bool primary) =>
        $"hash_record_extended(ROW({string.Join(", ", pair.Columns.Select(c => c.Text(primary).HashExpression))}), {pair.HashSeed})";

    /// <summary>The hash of the key's canonical texts: the same on both sides whatever their collations (<see cref="KeyOrder.Hashed"/>).</summary>
    public static string KeyHash(TablePair pair, bool primary) =>
        $"hash_record_extended(ROW({string.Join(", ", pair.Keys.Select(c => c.Text(primary).Expression))}), 1)";

    public static string Hash(TablePair pair, bool primary, KeyRange range) =>
        $"""
        SELECT count(*), coalesce(bit_xor({RowHash(pair, primary)}), 0)
        FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)} AND {Predicate(pair, primary, range)}
        """;

    /// <summary>
    /// Integer keys: per-bucket hashes of [$1, $2) in buckets of $3 keys, in one pass. The rows are hashed below an
    /// <c>OFFSET 0</c> fence: PostgreSQL takes the bucket expression for one group per row, and grouping the whole rows
    /// it chose to sort them, on disk beyond <c>work_mem</c> (a 65,536-row chunk: 203 ms, 58 ms hashed first).
    /// </summary>
    public static string Buckets(TablePair pair, bool primary)
    {
        var key = pair.QuotedKeys(primary).Single();
        return $"""
            SELECT b, count(*), bit_xor(h)
            FROM (SELECT ({key}::bigint - $1) / $3 AS b, {RowHash(pair, primary)} AS h
                  FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)} AND {key} >= $1 AND {key} < $2 OFFSET 0) r
            GROUP BY 1
            """;
    }

    /// <summary>Integer keys: smallest and largest key.</summary>
    public static string Bounds(TablePair pair, bool primary)
    {
        var key = pair.QuotedKeys(primary).Single();
        return $"SELECT min({key})::bigint, max({key})::bigint FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)}";
    }

    /// <summary>
    /// Key-ordered keys: the key <paramref name="offset"/> rows into the range, as canonical texts; none past the end.
    /// The order names the table's columns (<c>t.</c>): a bare name would sort by the selected text of the same name,
    /// which is not the key's order and which no index serves, so each split would sort the whole range.
    /// </summary>
    public static string KeyAt(TablePair pair, bool primary, KeyRange range, long offset) =>
        $"""
        SELECT {string.Join(", ", pair.Keys.Select(k => k.Text(primary).Expression))}
        FROM {pair.QuotedTable(primary)} t WHERE {pair.Visible(primary)} AND {Predicate(pair, primary, range)}
        ORDER BY {string.Join(", ", pair.QuotedKeys(primary).Select(k => $"t.{k}"))} OFFSET {offset} LIMIT 1
        """;

    /// <summary>
    /// Hashed keys: per-bucket counts and hashes, a bucket being the low <c>$1</c> bits of the key hash; with
    /// <c>$2</c> &gt; 0, only rows in the buckets <c>$3</c> of the coarser <c>$2</c> bits (a finer split of those).
    /// </summary>
    public static string HashedBuckets(TablePair pair, bool primary) =>
        $"""
        SELECT k & ((1::bigint << $1) - 1), count(*), bit_xor(h)
        FROM (SELECT {KeyHash(pair, primary)} AS k, {RowHash(pair, primary)} AS h FROM {pair.QuotedTable(primary)} WHERE {pair.Visible(primary)}) r
        WHERE $2 = 0 OR k & ((1::bigint << $2) - 1) = ANY ($3)
        GROUP BY 1
        """;

    /// <summary>Hashed keys: the rows of the buckets <c>$2</c> of <c>$1</c> bits (store rows flagged deleted included).</summary>
    public static string FetchHashed(TablePair pair, bool primary) =>
        $"{Select(pair, primary)} WHERE {KeyHash(pair, primary)} & ((1::bigint << $1) - 1) = ANY ($2)";

    public static string FetchRange(TablePair pair, bool primary, KeyRange range) =>
        $"{Select(pair, primary)} WHERE {Predicate(pair, primary, range)}";

    /// <summary>
    /// Rows with the given keys: <c>$1..$n</c> are text arrays of canonical key texts, one per key column. A key column
    /// whose type reads its canonical text back is matched on the column (its index); another by its canonical text.
    /// </summary>
    public static string FetchKeys(TablePair pair, bool primary)
    {
        var keys = pair.Keys.Select((k, i) => (Column: k.Column(primary), Text: k.Text(primary), Index: i)).ToList();
        var unnest = string.Join(", ", keys.Select(k => $"${k.Index + 1}::text[]"));
        var match = string.Join(" AND ", keys.Select(k => k.Text.Invertible
            ? $"t.{PgIdentifier.Quote(k.Column.Name)} = u.{KeyParameter}{k.Index}::{k.Column.CastType}"
            : $"{k.Text.Expression} = u.{KeyParameter}{k.Index}"));
        return $"{Select(pair, primary)} JOIN unnest({unnest}) AS u({string.Join(", ", keys.Select(k => $"{KeyParameter}{k.Index}"))}) ON {match}";
    }

    /// <summary>Every compared column's canonical text (keys first), the version and the visibility.</summary>
    private static string Select(TablePair pair, bool primary)
    {
        var version = !primary && pair.StoreHasVersion ? Version : "NULL::bigint, NULL::bigint";
        return $"""
            SELECT {string.Join(", ", pair.Columns.Select(c => c.Text(primary).Expression))}, {version}, {pair.Visible(primary)}
            FROM {pair.QuotedTable(primary)} t
            """;
    }

    /// <summary>The range as a row comparison on the side's key columns; <c>$1..$n</c> lower, then upper values.</summary>
    private static string Predicate(TablePair pair, bool primary, KeyRange range)
    {
        var columns = pair.Keys.Select(k => (Column: PgIdentifier.Quote(k.Column(primary).Name), Type: k.Column(primary).CastType)).ToList();
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
            if (values.Count > 1)
            {
                // Implied by the row comparison, but PostgreSQL estimates a row comparison at a fixed third of the
                // table: without the first column's own bound it scanned the whole table for a range of 60 rows.
                clauses.Add($"{columns[0].Column} {(op == ">=" ? ">=" : "<=")} {values[0]}");
            }
        }

        return clauses.Count == 0 ? "true" : string.Join(" AND ", clauses);
    }
}
