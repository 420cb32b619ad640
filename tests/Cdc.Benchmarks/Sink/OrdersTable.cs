using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cdc.Common.Postgres;

namespace Cdc.Benchmarks.Sink;

/// <summary>The benchmark table's DDL and a content checksum both the database and the workload model can compute.</summary>
public static class OrdersTable
{
    /// <summary>Column name and <c>format_type()</c> text, in table order.</summary>
    public static readonly IReadOnlyList<(string Name, string PgType)> Columns =
    [
        ("id", "bigint"),
        ("status", "character varying(20)"),
        ("qty", "integer"),
        ("amount", "numeric(12,2)"),
        ("updated_at", "timestamp with time zone"),
        ("note", "text"),
    ];

    public static string Create(string table) =>
        $"CREATE TABLE public.{PgIdentifier.Quote(table)} (id bigint PRIMARY KEY, status varchar(20), qty int, amount numeric(12,2), updated_at timestamptz, note text)";

    /// <summary>The same table without <paramref name="excluded"/> columns (a subsystem's mapping that leaves them out).</summary>
    public static string Create(string table, IReadOnlyCollection<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var columns = Columns.Where(c => !excluded.Contains(c.Name))
            .Select(c => $"{PgIdentifier.Quote(c.Name)} {c.PgType}{(c.Name == "id" ? " PRIMARY KEY" : "")}");
        return $"CREATE TABLE public.{PgIdentifier.Quote(table)} ({string.Join(", ", columns)})";
    }

    /// <summary>Row count and the md5 of every row's text, ordered by id.</summary>
    public static string ChecksumQuery(string table) =>
        $"""
        SELECT count(*), coalesce(md5(string_agg(
            concat_ws('|', id, status, qty, amount, (extract(epoch FROM updated_at) * 1000000)::bigint, note), E'\n' ORDER BY id)), '')
        FROM public.{PgIdentifier.Quote(table)}
        """;

    public static (long Rows, string Md5) Expected(IReadOnlyDictionary<long, OrderRow> rows)
    {
        var text = new StringBuilder(rows.Count * 100);
        foreach (var row in rows.Values.OrderBy(r => r.Id))
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(CultureInfo.InvariantCulture, $"{row.Id}|{row.Status}|{row.Qty}|{row.AmountCents / 100}.{row.AmountCents % 100:D2}|{row.UpdatedAtMicros}|{row.Note}");
        }

        var md5 = rows.Count == 0 ? "" : Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return (rows.Count, md5);
    }
}
