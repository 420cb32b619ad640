namespace Cdc.Capture.Tests.Support;

/// <summary>A table with a column of every type of docs/design.md#type-mapping, and rows that exercise them.</summary>
internal static class AllTypes
{
    public const string Table = "public.all_types";

    public static readonly string[] Columns =
    [
        "id", "c_int2", "c_int4", "c_int8", "c_real", "c_double", "c_bool", "c_numeric", "c_numeric_free", "c_money",
        "c_text", "c_varchar", "c_char", "c_uuid", "c_json", "c_jsonb", "c_date", "c_time3", "c_time6", "c_ts3", "c_ts6",
        "c_tstz", "c_timetz", "c_interval", "c_bytea", "c_bit", "c_varbit", "c_inet", "c_cidr", "c_macaddr", "c_range",
        "c_int_array", "c_text_array", "c_big",
    ];

    public const string CreateTable = """
        CREATE TABLE all_types (
            id int PRIMARY KEY,
            c_int2 smallint, c_int4 integer, c_int8 bigint, c_real real, c_double double precision, c_bool boolean,
            c_numeric numeric(10,2), c_numeric_free numeric, c_money money,
            c_text text, c_varchar varchar(20), c_char char(5), c_uuid uuid, c_json json, c_jsonb jsonb,
            c_date date, c_time3 time(3), c_time6 time(6), c_ts3 timestamp(3), c_ts6 timestamp,
            c_tstz timestamptz, c_timetz timetz, c_interval interval, c_bytea bytea, c_bit bit(4), c_varbit bit varying(8),
            c_inet inet, c_cidr cidr, c_macaddr macaddr, c_range int4range,
            c_int_array int[], c_text_array text[], c_big text);
        ALTER TABLE all_types ALTER COLUMN c_big SET STORAGE EXTERNAL;
        """;

    /// <summary>Row 1: ordinary values; row 2: all NULL; row 3: edge values (NaN and infinities, negatives, unicode).</summary>
    public const string InsertRows = """
        INSERT INTO all_types VALUES
        (1, 12, 345678, 9876543210, 1.5, 2.25, true, 123.45, 3.14159265358979, 12.34,
         'hello', 'varchar', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": {"c": null}}',
         '2024-02-29', '13:45:12.345', '13:45:12.345678', '2024-01-02 03:04:05.678', '2024-01-02 03:04:05.678901',
         '2024-01-02 03:04:05.678901+02', '10:11:12+05:30', '3 days 04:05:06.789', '\xdeadbeef', B'1010', B'101',
         '192.168.0.1', '10.0.0.0/8', '08:00:2b:01:02:03', '[1,10)', '{1,2,NULL,4}', '{"a","b c",NULL}', repeat('x', 10000)),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (3, -32768, -2147483648, -9223372036854775808, 'NaN', 'Infinity', false, -99999999.99, -0.000001, -5.5,
         'ünïcødé ✓ "quoted" \ back', '', '     ', '00000000-0000-0000-0000-000000000000', '[]', '"text"',
         '1970-01-01', '00:00:00', '23:59:59.999999', '1970-01-01 00:00:00', '1900-06-30 12:00:00.5',
         '1969-12-31 23:59:59.999999+00', '00:00:00-08', '-3 days -00:00:01', '\x', B'0000', B'',
         '::1', '::/0', 'ff:ff:ff:ff:ff:ff', 'empty', '{}', '{""}', 'small')
        """;

    /// <summary>Touches another column only: <c>c_big</c> stays TOASTed and is not in the WAL.</summary>
    public const string UpdateKeepingToast = "UPDATE all_types SET c_int4 = c_int4 + 1, c_double = '-Infinity' WHERE id = 1";

    /// <summary>
    /// Every column as text, where Debezium's mapping is lossy by design (docs/design.md#type-mapping) compared in the
    /// form it keeps: ZonedTime is UTC (the offset is gone), MicroDuration counts months as 365.25/12 days (the test's
    /// intervals have none, so compare seconds), Bits of a bit varying(n) has length n (the value's own length is
    /// gone).
    /// </summary>
    public static string SelectText => $"SELECT {string.Join(", ", Columns.Select(Text))} FROM all_types ORDER BY id";

    private static string Text(string column) => column switch
    {
        "c_timetz" => "(c_timetz AT TIME ZONE 'UTC')::text",
        "c_interval" => "extract(epoch FROM c_interval)::text",
        "c_varbit" => "lpad(c_varbit::text, 8, '0')",
        _ => column + "::text",
    };
}
