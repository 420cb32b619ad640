using Cdc.Capture.Configuration;
using Cdc.Capture.Tests.Support;
using Cdc.Registry;
using Cdc.Schemas.Registry;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Capture.Tests.Bugs;

/// <summary>
/// Issue 13, items 1, 2, 3 and 7, and exact bit strings, end to end: edge values of the mapped types go primary →
/// connector (its defaults: <c>decimal.handling.mode=string</c>, <c>interval.handling.mode=string</c>) → Kafka → sink →
/// store, through the initial snapshot and the stream, in JSON and in Avro, with the store's database in another time
/// zone, and the store is compared with the primary as text, row for row (both read with <c>TimeZone</c>,
/// <c>DateStyle</c>, <c>IntervalStyle</c> and <c>extra_float_digits</c> pinned). Year 1 and <c>-infinity</c> were
/// confused both ways, an unconstrained numeric lost its trailing zeros, an interval's months became hours, a BC date
/// stopped the connector, and a bit varying lost its leading zeros (<c>B'01'</c> arrived as <c>1</c>), in an array too
/// (each element padded to the declared length) and as a key (<c>B'01'</c>, <c>B'1'</c> and <c>B'001'</c> were one row). Debezium's
/// documented losses are compared in the form it keeps (<see cref="SelectText"/>).
/// </summary>
public sealed class Issue13EdgeValueTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Table = "public.edge_values";
    private const string KeyTable = "public.edge_bit_keys";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string CreateTable = """
        CREATE TABLE edge_values (
            id int PRIMARY KEY,
            d date, ts timestamp, tstz timestamptz, t time, ttz timetz,
            n numeric, n2 numeric(12,4), m money, iv interval,
            r int4range, dr daterange, ip inet, net cidr, mac macaddr, b bit(4), vb bit varying(8), vbu bit varying,
            ds date[], ns numeric[], ivs interval[], tss timestamptz[], vbs bit varying(8)[]);
        CREATE TABLE edge_bit_keys (k bit varying PRIMARY KEY, v int)
        """;

    private const string InsertRows = """
        INSERT INTO edge_values VALUES
        (1, '0001-01-01', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '24:00:00', '24:00:00+00',
         '1234567890123451.234567890', '1.5000', '-92233720368547758.08', '1 mon 2 days 03:04:05.123456',
         '[1,10)', '[0001-01-01,2024-02-29)', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', B'1010', B'001', B'1010',
         '{0001-01-01,-infinity,infinity}', '{1.50,NaN,-Infinity}', '{"1 mon","-1 years -2 mons +3 days"}', '{"0001-01-01 00:00:00+00",-infinity}', '{001,1010,NULL}'),
        (2, '-infinity', '-infinity', '-infinity', '00:00:00', '00:00:00-08', 'NaN', 'NaN', '0.00', '-1 years -2 mons',
         'empty', 'empty', '::1', '::/0', 'ff:ff:ff:ff:ff:ff', B'0000', B'', B'',
         '{}', '{}', '{}', '{}', '{}'),
        (3, 'infinity', 'infinity', 'infinity', '23:59:59.999999', '23:59:59.999999+14', 'Infinity', '-0.0001', '92233720368547758.07',
         '178000000 years', '(,)', '(,2024-01-01]', '2001:db8::1/64', '2001:db8::/32', '00:00:00:00:00:00', B'1111', B'11111111', B'0',
         NULL, NULL, NULL, NULL, NULL),
        (4, '0044-03-15 BC', '0044-03-15 12:00:00 BC', '4713-01-01 00:00:00+00 BC', '12:00:00.5', '12:00:00+05:30', '-Infinity', '0.0000', '12.34',
         '-00:00:00.000001', '[-2147483648,2147483647)', '[2024-01-01,)', '0.0.0.0/0', '255.255.255.255/32', '01:02:03:04:05:06', B'0101', B'0', B'01',
         '{0044-03-15 BC}', '{0.000000000000000000001}', '{"00:00:00"}', '{"2000-02-29 23:59:59.999999+00"}', '{0,00000000,""}'),
        (5, '9999-12-31', '10000-01-01 00:00:00', '1970-01-01 00:00:00.000001+00', '00:00:00.000001', '00:00:00+00', '0.000000000000000000001', '99999999.9999', '-0.01',
         '1 year 2 mons 3 days 04:05:06.789', '[5,6)', '[1970-01-01,1970-01-02)', '::ffff:1.2.3.4', '::ffff:1.2.3.0/120', 'ab:cd:ef:01:23:45', B'0011', B'01', B'00000000001',
         '{9999-12-31}', '{-1e-10,100000000000000000000}', '{"-178000000 years"}', NULL, '{NULL,01,00000001}');
        INSERT INTO edge_values (id, vb, vbu) VALUES (6, NULL, B'0001');
        INSERT INTO edge_bit_keys VALUES (B'01', 1), (B'1', 2), (B'001', 3), (B'', 4), (B'0', 5)
        """;

    private static readonly string[] Columns =
        ["id", "d", "ts", "tstz", "t", "ttz", "n", "n2", "m", "iv", "r", "dr", "ip", "net", "mac", "b", "vb", "vbu", "ds", "ns", "ivs", "tss", "vbs"];

    // A bit varying key: B'01', B'1' and B'001' are the same Bits bytes, so distinct rows only with their lengths.
    private const string SelectKeys = "SELECT k::text || ' ' || v FROM edge_bit_keys ORDER BY k";

    /// <summary>
    /// Every column as PostgreSQL prints it, but for Debezium's documented losses (docs/design.md#type-mapping): timetz
    /// in UTC (ZonedTime has no offset). A bit varying is exact, leading zeros included: Debezium's Bits has no value
    /// length, the connector's <c>cdc.bit-lengths</c> header carries it.
    /// </summary>
    private static string SelectText =>
        $"SELECT {string.Join(", ", Columns.Select(c => c switch
        {
            "ttz" => "(ttz AT TIME ZONE 'UTC')::text",
            "ip" => "format('%s', ip)", // inet's output text: ::text adds a /128 mask the value does not print
            _ => c + "::text",
        }))} FROM edge_values ORDER BY id";

    [Theory]
    [InlineData("json")]
    [InlineData("avro")]
    public async Task Edge_values_reach_the_store_as_the_primary_prints_them(string format)
    {
        await using var registry = format == "avro" ? await EmbeddedSchemaRegistry.StartAsync() : null;
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, CreateTable + ";" + InsertRows, Table, KeyTable);
        var store = await postgres.CreateDatabaseAsync();
        await StoreRows.ExecuteAsync(store, $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(store).Database}\" SET TimeZone = 'Pacific/Chatham'");
        await using var capture = await StartCaptureAsync(bed, registry);
        await using var sink = registry is null
            ? await SinkProcess.StartAsync(store, kafka, bed.Topic(Table), bed.Topic(KeyTable))
            : await SinkProcess.StartAvroAsync(store, kafka, registry.Url, bed.Topic(Table), bed.Topic(KeyTable));
        await CaptureTestBed.UntilStreamingAsync(capture);

        // Rows 1-6 travel through the initial snapshot, their copies 11-16 through the stream, then an update of each.
        await bed.ExecuteAsync($"INSERT INTO edge_values SELECT id + 10, {string.Join(", ", Columns.Skip(1))} FROM edge_values");
        await bed.ExecuteAsync("UPDATE edge_values SET d = '0001-01-01', n = '1.000', iv = '13 mons' WHERE id = 12");
        await bed.ExecuteAsync("UPDATE edge_values SET d = '-infinity', n = 'NaN', iv = '-13 mons -1 days' WHERE id = 11");

        // Keys through the stream too, then an update of a key's other column and a delete, each found by its exact key.
        await bed.ExecuteAsync("INSERT INTO edge_bit_keys VALUES (B'0001', 6), (B'00', 7); UPDATE edge_bit_keys SET v = 10 WHERE k = B'001'; DELETE FROM edge_bit_keys WHERE k = B'01'");

        var primary = await Pinned.ReadAsync(bed.SourceConnectionString, SelectText);
        await Pinned.UntilEqualAsync(store, SelectText, primary, Timeout);
        Assert.Equal(12, primary.Count);
        var keys = await StoreRows.ReadAsync(bed.SourceConnectionString, SelectKeys);
        await StoreRows.UntilEqualAsync(store, SelectKeys, keys, Timeout);
        Assert.Equal(6, keys.Count);

        // Network addresses and ranges are plain strings in Debezium's events: the propagated source type gives the
        // store's table their own types (it created them as text).
        const string Types = "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'edge_values'::regclass AND attname IN ('ip', 'net', 'mac', 'r', 'dr', 'vb', 'vbs') ORDER BY attname";
        Assert.Equal(await StoreRows.ReadAsync(bed.SourceConnectionString, Types), await StoreRows.ReadAsync(store, Types));
    }

    private static async Task<CaptureRunner> StartCaptureAsync(CaptureTestBed bed, EmbeddedSchemaRegistry? registry)
    {
        if (registry is not null)
        {
            bed.Options.Format = CaptureOptions.AvroFormat;
            bed.Options.SchemaRegistry[SchemaRegistrySettings.Url] = registry.Url;
        }

        return await bed.StartAsync();
    }

    /// <summary>Reads with the session settings that decide a value's text pinned, whatever the database's own are.</summary>
    private static class Pinned
    {
        public static Task<List<string>> ReadAsync(string connectionString, string sql) => StoreRows.ReadAsync(With(connectionString), sql);

        public static Task UntilEqualAsync(string connectionString, string sql, IReadOnlyList<string> expected, TimeSpan timeout) =>
            StoreRows.UntilEqualAsync(With(connectionString), sql, expected, timeout);

        private static string With(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
        {
            Options = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=1",
        }.ConnectionString;
    }
}
