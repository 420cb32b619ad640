using System.Globalization;

namespace Cdc.Reconciler.Tests.Randomized;

/// <summary>
/// How a generated table is keyed. Row n's key is a pure function of n, written as SQL literals that print back as
/// themselves (so the expected findings can be written down), distinct for distinct n under any collation.
/// </summary>
/// <param name="Columns">Key column names and types, in key order.</param>
/// <param name="Values">Row n's key: one text per key column, as PostgreSQL prints it (UTC, ISO).</param>
/// <param name="UniqueIndex">Keyed by a unique index (replica identity) rather than a primary key.</param>
internal sealed record KeyKind(string Name, IReadOnlyList<(string Column, string Type)> Columns, Func<int, string[]> Values, bool UniqueIndex = false)
{
    public static readonly IReadOnlyList<KeyKind> All =
    [
        new("bigint", [("id", "bigint")], n => [Number((n * 7L) + 1)]),
        new("int", [("id", "integer")], n => [Number(n - 50)]),
        new("text", [("k", "text")], n => [TextKey(n)]),
        new("varchar", [("k", "varchar(40)")], n => [TextKey(n)]),
        new("uuid", [("k", "uuid")], n => [$"{n:x8}-0000-4000-8000-{n * 31:x12}"]),
        new("date", [("d", "date")], n => [new DateOnly(2000, 1, 1).AddDays(n * 3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]),
        new("timestamptz", [("at", "timestamptz")], n => [new DateTime(2024, 1, 1).AddSeconds(n * 37L).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+00"]),
        new("numeric", [("price", "numeric(12,2)")], n => [string.Create(CultureInfo.InvariantCulture, $"{n}.{n % 100:D2}")]),
        new("int_text", [("a", "integer"), ("b", "text")], n => [Number(n % 5), TextKey(n)]),
        // Pairs whose columns, joined by U+001F, read alike: ('p0\u001fy', 'z') and ('p0', 'y\u001fz').
        new("text_text", [("a", "text"), ("b", "text")], n => n % 2 == 0 ? [$"p{n / 2}\u001fy", "z"] : [$"p{n / 2}", "y\u001fz"]),
        new("bigint_int", [("a", "bigint"), ("b", "integer")], n => [Number(n / 10), Number(n % 10)]),
        new("uuid_int", [("u", "uuid"), ("n", "integer")], n => [$"{n / 3:x8}-1111-4000-8000-000000000000", Number(n % 3)]),
        new("unique_text", [("code", "text")], n => [TextKey(n)], UniqueIndex: true),
    ];

    /// <summary>Text keys with the hard cases: separators, <c>\N</c>, blanks, case and accents a collation folds.</summary>
    public static string TextKey(int n) => (n % 8) switch
    {
        0 => $"k{n}",
        1 => $"K{n}",
        2 => $"k{n} ",
        3 => $"k{n}\u001f",
        4 => $"\\N{n}",
        5 => $"é{n}",
        6 => $"e\u0301{n}",
        _ => $"k {n}\t'q'",
    };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
