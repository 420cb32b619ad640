using System.Globalization;

namespace Cdc.Reconciler.Tests.Randomized;

/// <summary>
/// A column type the generator uses, with a pool of SQL literals that are pairwise different under the sink's mapping
/// (no two differ only in char(n) padding, JSON spacing or key order, numeric scale, time zone or timetz offset), so a
/// row changed from one to another is a true difference. The pools hold the hard cases: separators, <c>\N</c>, blanks,
/// quotes and backslashes, case and accents a collation folds, floats one bit apart, signed zeros, NaN and infinities.
/// </summary>
internal sealed record ColumnKind(string Name, string Type, IReadOnlyList<string> Pool)
{
    /// <summary>Text values: each also a hard case for a text key.</summary>
    public static readonly string[] Texts =
    [
        "x\u001fy", "x", "y\u001fz", "z", "\\N", "\\\\N", "NULL", "", " ", "a", "a ", "a  ", "A", "ä", "a\u0308", "ß", "ss", "é", "E",
        "quote'd", "back\\slash", "comma,paren(x)", "tab\tnew\nline", "ünïcødé ✓ 日本", "\"dq\"", "{braces}", "emoji 😀",
    ];

    public static readonly IReadOnlyList<ColumnKind> All =
    [
        new("int2", "smallint", ["0", "-32768", "32767", "7"]),
        new("int4", "integer", ["0", "-2147483648", "2147483647", "42"]),
        new("int8", "bigint", ["0", "-9223372036854775808", "9223372036854775807", "1234567890123"]),
        new("float4", "real", ["0.1", "0.10000001", "'-0'", "0", "'NaN'", "'Infinity'", "'-Infinity'", "3.4028235e38", "1e-45"]),
        new("float8", "double precision", ["0.1", "0.10000000000000002", "'-0'", "0", "'NaN'", "'Infinity'", "1e300", "5e-324", "1.0000000000000002"]),
        new("bool", "boolean", ["true", "false"]),
        new("num_fixed", "numeric(12,2)", ["0.00", "123.45", "-99999999.99", "1.50", "0.01"]),
        new("num_free", "numeric", ["3.14159265358979", "-0.000001", "12345678901234567890.123", "0", "1.500", "1234567890123451.234567890", "100.0"]),
        new("money", "money", ["12.34", "-5.50", "0", "1000000.01"]),
        new("text", "text", [.. Texts.Select(Literal)]),
        new("text_ci", "text COLLATE ci", ["'ABC'", "'abc'", "'Abc'", "'ß'", "'SS'", "'x\u001fy'"]),
        new("varchar", "varchar(30)", ["'a'", "'a '", "'A'", "'\\N'", "'x\u001fy'", "''"]),
        new("char", "char(5)", ["'ab'", "'ab c'", "'x'", "'\\N'", "'A'", "'a\u001f'"]),
        new("uuid", "uuid", ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"]),
        new("json", "json", ["""'{"a": [1, 2]}'""", "'[]'", """'"text"'""", """'{"b": {"c": null}}'""", "'null'", """'{"k": "\\\\N"}'"""]),
        new("jsonb", "jsonb", ["""'{"a": [1, 2]}'""", "'[]'", """'"text"'""", """'{"b": {"c": null}}'""", "'1.5'"]),
        new("date", "date", ["'2024-02-29'", "'1970-01-01'", "'9999-12-31'", "'2000-01-01'"]),
        new("time3", "time(3)", ["'13:45:12.345'", "'00:00:00'", "'23:59:59.999'"]),
        new("time6", "time(6)", ["'13:45:12.345678'", "'00:00:00'", "'23:59:59.999999'", "'13:45:12.345679'"]),
        new("ts3", "timestamp(3)", ["'2024-01-02 03:04:05.678'", "'1970-01-01 00:00:00'", "'1900-06-30 12:00:00.5'"]),
        new("ts6", "timestamp(6)", ["'2024-01-02 03:04:05.678901'", "'1970-01-01 00:00:00'", "'2024-01-02 03:04:05.678902'"]),
        new("tstz", "timestamptz", ["'2024-01-02 03:04:05.678901+02'", "'1969-12-31 23:59:59.999999+00'", "'2024-01-02 01:04:05.678902+00'", "'2024-06-01 12:00:00-09:30'"]),
        new("timetz", "timetz", ["'10:11:12+05:30'", "'00:00:00-08'", "'04:41:13+00'", "'23:59:59.999999+14'"]),
        new("interval", "interval", ["'04:05:06.123456'", "'-00:00:01'", "'100:00:00'", "'00:00:00.000001'", "'1 mon 2 days 03:04:05.123456'", "'-1 years -2 mons'", "'13 mons'", "'3 days'"]),
        new("bytea", "bytea", ["'\\xdeadbeef'", "'\\x'", "'\\x00'", "'\\x5c4e'"]),
        new("bit", "bit(4)", ["B'1010'", "B'0000'", "B'1111'"]),
        new("varbit", "bit varying(8)", ["B'101'", "B'11111111'", "B'1'"]),
        new("bit1", "bit(1)", ["B'1'", "B'0'"]),
        new("inet", "inet", ["'192.168.0.1'", "'10.0.0.0/8'", "'::1'", "'192.168.0.1/24'"]),
        new("cidr", "cidr", ["'10.0.0.0/8'", "'::/0'", "'192.168.0.0/24'"]),
        new("macaddr", "macaddr", ["'08:00:2b:01:02:03'", "'ff:ff:ff:ff:ff:ff'"]),
        new("range", "int4range", ["'[1,10)'", "'empty'", "'(,5)'", "'[3,)'"]),
        new("int_array", "integer[]", ["'{1,2,NULL,4}'", "'{}'", "'{7}'"]),
        new("text_array", "text[]", ["""'{"a","b c",NULL}'""", """'{""}'""", """'{"\\\\N"}'""", """'{"x\u001fy"}'"""]),
        new("enum", "mood", ["'sad'", "'happy'", "'Happy'"]),
        new("domain", "posint", ["1", "7", "2147483647"]),
        new("composite", "pair", ["""'(1,"a b")'""", "'(2,)'", "'(,)'", """'(1,"x\u001fy")'"""]),
        new("point", "point", ["'(1.5,2)'", "'(0,0)'", "'(-1e+300,3.5)'"]),
    ];

    /// <summary>A standard SQL string literal (quotes doubled; backslashes and control characters are plain characters).</summary>
    public static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
