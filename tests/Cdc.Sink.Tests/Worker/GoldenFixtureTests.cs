using System.Text.Json.Nodes;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Worker;

/// <summary>
/// The decoder's golden fixtures (exact Debezium record bytes) end to end: produced to the mock Kafka cluster,
/// applied by the real worker into real PostgreSQL, and read back as PostgreSQL text (<c>col::text</c> in a UTC
/// session). Every expected value below is worked out by hand from the fixture's JSON (base64 two's-complement
/// decimals, epoch days/ms/µs, Bits little-endian bytes) and written as a literal.
/// </summary>
public sealed class GoldenFixtureTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Placeholder = "__debezium_unavailable_value";

    private const string Customers = "SELECT id::text, first_name, last_name, email, _cdc_commit_lsn::text, _cdc_event_lsn::text FROM public.customers ORDER BY id";

    /// <summary>The source's <c>customers</c> table (Debezium's tutorial), for the fixtures without schema.</summary>
    private const string CustomersDdl =
        "CREATE TABLE public.customers (id serial PRIMARY KEY, first_name varchar(255) NOT NULL, last_name varchar(255) NOT NULL, email varchar(255) NOT NULL)";

    /// <summary>The source's <c>all_types</c> table (AllTypesFixtureTests.Ddl in the schemas tests).</summary>
    private static readonly string[] AllTypesDdl =
    [
        "CREATE EXTENSION hstore",
        "CREATE EXTENSION ltree",
        "CREATE TYPE public.mood AS ENUM ('happy', 'ok', 'sad')",
        """
        CREATE TABLE public.all_types (
            id integer PRIMARY KEY, c_smallint smallint, c_integer integer, c_bigint bigint, c_real real,
            c_double double precision, c_bool boolean, c_numeric numeric(7,2), c_numeric_big numeric(40,5),
            c_numeric_var numeric, c_money money, c_text text, c_varchar character varying(20), c_char character(3),
            c_uuid uuid, c_json json, c_jsonb jsonb, c_xml xml, c_enum public.mood, c_ltree ltree, c_inet inet,
            c_int4range int4range, c_date date, c_time time(3) without time zone, c_time6 time without time zone,
            c_timetz time with time zone, c_ts timestamp(3) without time zone, c_ts6 timestamp without time zone,
            c_tstz timestamp with time zone, c_interval interval, c_bytea bytea, c_bit bit(8), c_varbit bit varying,
            c_bit1 bit(1), c_int_arr integer[], c_text_arr text[], c_numeric_arr numeric(5,2)[], c_date_arr date[],
            c_uuid_arr uuid[], c_tstz_arr timestamp with time zone[], c_hstore hstore, c_null_text text,
            c_null_ts timestamp without time zone)
        """,
    ];

    /// <summary>The source's <c>documents</c> table (toast.*.json's description).</summary>
    private static readonly string[] DocumentsDdl =
    [
        "CREATE EXTENSION hstore",
        """
        CREATE TABLE public.documents (id int PRIMARY KEY, title text, body text, payload bytea, meta jsonb, attrs hstore,
            tags text[], scores int[], big_ids bigint[], refs uuid[], days date[], blobs bytea[])
        """,
    ];

    /// <summary>
    /// all-types: (column, type the sink creates from the schema, row 1 "typical", row 2 "edges"); row 3 is NULL
    /// everywhere but the key. Worked out from the fixture:
    /// c_numeric "MDk=" = 0x3039 = 12345, scale 2; "z8c=" = 0xCFC7 = -12345.
    /// c_numeric_big "A6DJ…CtI=" = 1234567890123456789012345678901234567890, scale 5; "4pzW…AAE=" = -(10^40 - 1), scale 5.
    /// c_numeric_var {5, "BMsv" = 0x04CB2F = 314159}; {3, "/w==" = -1}. c_money "BNI=" = 1234, "+w==" = -5, scale 2.
    /// c_date 18044 days = 2019-05-28, -165 = 1969-07-20. c_time 34704863 ms = 09:38:24.863; c_time6 34704863769 µs,
    /// 86400000000 µs = 24:00:00. c_ts 1559036304863 ms = 2019-05-28 09:38:24.863, -14182939877 ms = 1969-07-20 20:17:40.123.
    /// c_ts6 1559033904863769 µs = 2019-05-28 08:58:24.863769, -1 µs = 1969-12-31 23:59:59.999999.
    /// c_interval 93784500000 µs = 26:03:04.5 (MicroDuration counts a day as 24 h: the same interval as 1 day 02:03:04.5),
    /// -1500000 µs = -1.5 s. c_bytea "AAEC/f7/" = 00 01 02 fd fe ff. Bits are little-endian BitSet bytes padded to the
    /// length: "BQ==" = 0x05 → 00000101, "" → 00000000; varbit "Cw==" = 0x0b → 1011, "AQ==" → 1.
    /// c_numeric_arr "AJY=" = 150 → 1.50, "/w==" = -1 → -0.01. c_date_arr 0, -1 = 1970-01-01, 1969-12-31.
    /// c_tstz_arr: 0-9 fraction digits (PostgreSQL keeps microseconds), the last one +02:00 → 09:38:24.5 UTC.
    /// c_null_ts -62135596800000000 µs = 0001-01-01 00:00:00.
    /// </summary>
    private static readonly (string Column, string CreatedType, string? Typical, string? Edges)[] AllTypes =
    [
        ("id", "integer", "1", "2"),
        ("c_smallint", "smallint", "-32768", "32767"),
        ("c_integer", "integer", "2147483647", "-2147483648"),
        ("c_bigint", "bigint", "-9223372036854775808", "9223372036854775807"),
        ("c_real", "real", "3.14", "-Infinity"),
        ("c_double", "double precision", "2.718281828459045", "NaN"),
        ("c_bool", "boolean", "true", "false"),
        ("c_numeric", "numeric(7,2)", "123.45", "-123.45"),
        ("c_numeric_big", "numeric(40,5)", "12345678901234567890123456789012345.67890", "-99999999999999999999999999999999999.99999"),
        ("c_numeric_var", "numeric", "3.14159", "-0.001"),
        ("c_money", "numeric", "12.34", "-0.05"),
        ("c_text", "text", "Grüße, 世界 🌍 \"quoted\"\n", "Grüße, 世界 🌍 \"quoted\"\n"),
        ("c_varchar", "text", "varchar", "varchar"),
        ("c_char", "text", "ab ", "ab "),
        ("c_uuid", "uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        ("c_json", "jsonb", """{"a": [1, 2]}""", """{"a": [1, 2]}"""),
        ("c_jsonb", "jsonb", """{"a": [1, 2]}""", """{"a": [1, 2]}"""),
        ("c_xml", "xml", "<a>b</a>", "<a>b</a>"),
        ("c_enum", "text", "happy", "happy"),
        ("c_ltree", "text", "Top.Science.Astronomy", "Top.Science.Astronomy"),
        ("c_inet", "text", "192.168.0.1/24", "192.168.0.1/24"),
        ("c_int4range", "text", "[1,10)", "[1,10)"),
        ("c_date", "date", "2019-05-28", "1969-07-20"),
        ("c_time", "time(3) without time zone", "09:38:24.863", "00:00:00"),
        ("c_time6", "time(6) without time zone", "09:38:24.863769", "24:00:00"),
        ("c_timetz", "time with time zone", "09:38:24.863769+00", "23:59:59+00"),
        ("c_ts", "timestamp(3) without time zone", "2019-05-28 09:38:24.863", "1969-07-20 20:17:40.123"),
        ("c_ts6", "timestamp(6) without time zone", "2019-05-28 08:58:24.863769", "1969-12-31 23:59:59.999999"),
        ("c_tstz", "timestamp with time zone", "2019-05-28 09:38:24.863769+00", "1969-07-20 20:17:40+00"),
        ("c_interval", "interval", "26:03:04.5", "-00:00:01.5"),
        ("c_bytea", "bytea", "\\x000102fdfeff", "\\x"),
        ("c_bit", "bit(8)", "00000101", "00000000"),
        ("c_varbit", "bit varying", "1011", "1"),
        ("c_bit1", "boolean", "true", "false"),
        ("c_int_arr", "integer[]", "{1,NULL,-3}", "{}"),
        ("c_text_arr", "text[]", "{a,NULL,ünï}", "{}"),
        ("c_numeric_arr", "numeric(5,2)[]", "{1.50,NULL,-0.01}", "{}"),
        ("c_date_arr", "date[]", "{1970-01-01,1969-12-31}", "{}"),
        ("c_uuid_arr", "uuid[]", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "{}"),
        ("c_tstz_arr", "timestamp with time zone[]", """{"2019-05-28 09:38:24+00","2019-05-28 09:38:24.8+00","2019-05-28 09:38:24.86+00","2019-05-28 09:38:24.863+00","2019-05-28 09:38:24.8637+00","2019-05-28 09:38:24.86376+00","2019-05-28 09:38:24.863769+00","2019-05-28 09:38:24.863769+00","2019-05-28 09:38:24.863769+00","2019-05-28 09:38:24.863769+00","2019-05-28 09:38:24.5+00"}""", "{}"),
        ("c_hstore", "jsonb", """{"a": "1", "b": null}""", "{}"),
        ("c_null_text", "text", null, ""),
        ("c_null_ts", "timestamp(6) without time zone", null, "0001-01-01 00:00:00"),
    ];

    /// <summary>Where the source-typed table (no schema in the events) stores a different text than the created one.</summary>
    private static readonly Dictionary<string, (string? Typical, string? Edges)> SourceTypedText = new(StringComparer.Ordinal)
    {
        ["c_money"] = ("$12.34", "-$0.05"),
        // character(3)::text drops the padding, on the primary too.
        ["c_char"] = ("ab", "ab"),
        // json keeps the text as written.
        ["c_json"] = ("""{"a": [1, 2]}""", """{"a": [1, 2]}"""),
        ["c_bit1"] = ("1", "0"),
        ["c_hstore"] = ("\"a\"=>\"1\", \"b\"=>NULL", ""),
    };

    /// <summary>A text array with every character array syntax treats specially, derived from the typical row as id 4.</summary>
    private static readonly JsonArray TrickyTextArray = ["with \"quotes\"", "a,b", null, "NULL", "", "back\\slash", "{braces}", " spaced ", "ünï"];

    private const string TrickyTextArrayText = """{"with \"quotes\"","a,b",NULL,"NULL","","back\\slash","{braces}"," spaced ",ünï}""";

    [Fact]
    public async Task AllTypes_WithSchema_TableCreatedWithDbaTypesAndEveryValueStoredExactly()
    {
        var fixture = GoldenFixture.Load("all-types.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);

        await pipeline.ApplyAsync([.. fixture.Records, TrickyTextArrayRow(fixture)]);

        var created = await pipeline.ColumnTypesAsync("public.all_types");
        Assert.Equal(
            AllTypes.Select(c => $"{c.Column} {c.CreatedType}").Append("_cdc_commit_lsn bigint").Append("_cdc_event_lsn bigint"),
            created.Select(c => $"{c.Key} {c.Value}"));
        Assert.Equal(["id"], await pipeline.RowsAsync(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'public.all_types'::regclass AND i.indisprimary"));
        await AssertAllTypesRowsAsync(pipeline, sourceTyped: false);
    }

    [Fact]
    public async Task AllTypes_WithoutSchema_ValuesResolvedAgainstTheSourceTypedTableAndStoredExactly()
    {
        var fixture = GoldenFixture.Load("all-types.noschema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture, AllTypesDdl);

        await pipeline.ApplyAsync([.. fixture.Records, TrickyTextArrayRow(fixture)]);

        await AssertAllTypesRowsAsync(pipeline, sourceTyped: true);
    }

    [Theory]
    [InlineData("toast.schema.json", true)]
    [InlineData("toast.schema.json", false)]
    [InlineData("toast.noschema.json", true)]
    [InlineData("toast.noschema.json", false)]
    public async Task Toast_UnchangedColumnsKeepTheStoredValueAndThePlaceholderIsNeverStored(string name, bool seedInEarlierBatch)
    {
        var fixture = GoldenFixture.Load(name);
        var withSchema = name.Contains(".schema.", StringComparison.Ordinal);
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture, withSchema ? [] : DocumentsDdl);
        // Row 7 as it was before the fixture's update (a snapshot read), in Debezium's encoding of each column.
        var seed = fixture[0].SnapshotRead(24_000_000, new JsonObject
        {
            ["id"] = 7,
            ["title"] = "original",
            ["body"] = LongBody,
            ["payload"] = "yv66vg==",
            ["meta"] = """{"v": 1}""",
            ["attrs"] = """{"x":"y"}""",
            ["tags"] = new JsonArray("t1", "t,2"),
            ["scores"] = new JsonArray(1, 2, 3),
            ["big_ids"] = new JsonArray(9_007_199_254_740_993),
            ["refs"] = new JsonArray("00000000-0000-0000-0000-000000000007"),
            ["days"] = new JsonArray(18044),
            ["blobs"] = new JsonArray("yv66vg=="),
        });

        if (seedInEarlierBatch)
        {
            await pipeline.ApplyAsync(seed);
            await pipeline.ApplyAsync([.. fixture.Records]);
        }
        else
        {
            await pipeline.ApplyAsync([seed, .. fixture.Records]);
        }

        var hstore = !withSchema;
        Assert.Equal(
            Sorted(new()
            {
                ["id"] = "7",
                ["title"] = "renamed",
                ["body"] = LongBody,
                ["payload"] = "\\xcafebabe",
                ["meta"] = """{"v": 1}""",
                ["attrs"] = hstore ? "\"x\"=>\"y\"" : """{"x": "y"}""",
                ["tags"] = """{t1,"t,2"}""",
                ["scores"] = "{1,2,3}",
                ["big_ids"] = "{9007199254740993}",
                ["refs"] = "{00000000-0000-0000-0000-000000000007}",
                ["days"] = "{2019-05-28}",
                ["blobs"] = """{"\\xcafebabe"}""",
                ["_cdc_commit_lsn"] = "24026000",
                ["_cdc_event_lsn"] = "24026100",
            }),
            Sorted(await pipeline.RowTextAsync("public.documents", "id = 7")));
        // Row 8 holds the placeholder text and bytes as array elements: data, stored as sent.
        Assert.Equal(
            Sorted(new()
            {
                ["id"] = "8",
                ["title"] = "literal",
                ["body"] = "short",
                ["payload"] = "\\x0001feff",
                ["meta"] = """{"a": 1}""",
                ["attrs"] = hstore ? "\"k\"=>\"v\"" : """{"k": "v"}""",
                ["tags"] = "{__debezium_unavailable_value,second}",
                ["scores"] = "{95,95}",
                ["big_ids"] = "{}",
                ["refs"] = "{00000000-0000-0000-0000-000000000001}",
                ["days"] = "{1970-01-01,1969-12-31}",
                ["blobs"] = """{"\\x5f5f646562657a69756d5f756e617661696c61626c655f76616c7565","\\x78"}""",
                ["_cdc_commit_lsn"] = "24026000",
                ["_cdc_event_lsn"] = "24026200",
            }),
            Sorted(await pipeline.RowTextAsync("public.documents", "id = 8")));
        if (withSchema)
        {
            Assert.Equal(
                ["id integer", "title text", "body text", "payload bytea", "meta jsonb", "attrs jsonb", "tags text[]", "scores integer[]",
                 "big_ids bigint[]", "refs uuid[]", "days date[]", "blobs bytea[]", "_cdc_commit_lsn bigint", "_cdc_event_lsn bigint"],
                (await pipeline.ColumnTypesAsync("public.documents")).Select(c => $"{c.Key} {c.Value}"));
        }

        Assert.Equal(["public.documents (8,literal,"], await RowsHoldingAPlaceholderFormAsync(pipeline));
    }

    [Fact]
    public async Task ToastHstoreMap_UnchangedMapKeepsTheStoredValue()
    {
        var fixture = GoldenFixture.Load("toast-hstore-map.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);
        var seed = fixture[0].SnapshotRead(24_000_000, new JsonObject { ["id"] = 1, ["attrs"] = new JsonObject { ["s"] = "stored" } });

        await pipeline.ApplyAsync(seed);
        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(
            ["1|{\"s\": \"stored\"}|24027000|24027100", "2|{\"a\": \"1\", \"b\": null}|24027000|24027200"],
            await pipeline.RowsAsync("SELECT id::text, attrs::text, _cdc_commit_lsn::text, _cdc_event_lsn::text FROM public.kv ORDER BY id"));
        Assert.Empty(await RowsHoldingAPlaceholderFormAsync(pipeline));
    }

    [Fact]
    public async Task PkChange_DeleteTombstoneCreate_OldKeyGoneNewKeyPresent()
    {
        var fixture = GoldenFixture.Load("pk-change.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);
        await pipeline.ApplyAsync(fixture[0].SnapshotRead(23_801_480));
        Assert.Equal(["1|Anne Marie|Kretchmar|annek@noanswer.org|0|23801480"], await pipeline.RowsAsync(Customers));

        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(["2|Anne Marie|Kretchmar|annek@noanswer.org|24024000|24024100"], await pipeline.RowsAsync(Customers));
        Assert.Equal(["public.customers|[\"1\"]|24024000|24024100"], await TombstonesAsync(pipeline));
        // A re-delivered snapshot read of the old key cannot bring it back.
        await pipeline.ApplyAsync(fixture[0].SnapshotRead(23_801_480));
        Assert.Equal(["2|Anne Marie|Kretchmar|annek@noanswer.org|24024000|24024100"], await pipeline.RowsAsync(Customers));
    }

    [Fact]
    public async Task Truncate_RemovesEveryEarlierRowAndReplayedOlderCreatesStayRemoved()
    {
        var truncate = GoldenFixture.Load("truncate.schema.json");
        var create = GoldenFixture.Load("create.schema.json");
        var snapshot = GoldenFixture.Load("snapshot.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, truncate);
        await pipeline.ApplyAsync([.. create.Records]);
        Assert.Equal(2, (await pipeline.RowsAsync(Customers)).Count);

        // TRUNCATE at 24025000/24025100, the creates re-delivered (older), then a create committed after the truncate.
        await pipeline.ApplyAsync([truncate[0], .. create.Records, snapshot[4]]);

        Assert.Equal(["5|Ada|Kretchmar|annek@noanswer.org|24030456|24030600"], await pipeline.RowsAsync(Customers));
        Assert.Equal(["public.customers|24025000|24025100"], await pipeline.RowsAsync("SELECT target_table, commit_lsn::text, event_lsn::text FROM cdc.truncations"));
    }

    [Fact]
    public async Task Snapshot_FirstTrueLastIncrementalAndStreamed_AllApplied()
    {
        var fixture = GoldenFixture.Load("snapshot.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);

        await pipeline.ApplyAsync([.. fixture.Records]);

        // Initial-snapshot reads have no commit LSN (sequence [null, lsn]); incremental reads are applied unversioned.
        Assert.Equal(
            [
                "1|Anne|Kretchmar|annek@noanswer.org|0|23801480",
                "2|Sally|Kretchmar|annek@noanswer.org|0|23801480",
                "3|George|Kretchmar|annek@noanswer.org|0|23801480",
                "4|Edward|Kretchmar|annek@noanswer.org|NULL|NULL",
                "5|Ada|Kretchmar|annek@noanswer.org|24030456|24030600",
            ],
            await pipeline.RowsAsync(Customers));
        Assert.Equal(
            ["id integer", "first_name text", "last_name text", "email text", "_cdc_commit_lsn bigint", "_cdc_event_lsn bigint"],
            (await pipeline.ColumnTypesAsync("public.customers")).Select(c => $"{c.Key} {c.Value}"));
    }

    [Fact]
    public async Task UpdateDefault_BeforeNull_AfterApplied()
    {
        var fixture = GoldenFixture.Load("update-default.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);
        await pipeline.ApplyAsync(GoldenFixture.Load("snapshot.schema.json")[0]);
        Assert.Equal(["1|Anne|Kretchmar|annek@noanswer.org|0|23801480"], await pipeline.RowsAsync(Customers));

        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(["1|Anne Marie|Kretchmar|annek@noanswer.org|24023119|24023128"], await pipeline.RowsAsync(Customers));
    }

    [Theory]
    [InlineData("update-full.schema.json")]
    [InlineData("update-full.noschema.json")]
    public async Task UpdateFull_BeforeAndAfter_AfterApplied(string name)
    {
        var fixture = GoldenFixture.Load(name);
        await using var pipeline = await CustomersPipelineAsync(fixture);
        await pipeline.ApplyAsync(fixture[0].SnapshotRead(23_801_480));
        Assert.Equal(["1|Anne|Kretchmar|annek@noanswer.org|0|23801480"], await pipeline.RowsAsync(Customers));

        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(["1|Anne Marie|Kretchmar|annek@noanswer.org|24023119|24023128"], await pipeline.RowsAsync(Customers));
    }

    [Theory]
    [InlineData("create.schema.json")]
    [InlineData("create.noschema.json")]
    public async Task Create_PlainAndWithTransactionMetadata_RowsInserted(string name)
    {
        var fixture = GoldenFixture.Load(name);
        await using var pipeline = await CustomersPipelineAsync(fixture);

        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(
            ["1|Anne|Kretchmar|annek@noanswer.org|24023119|24023128", "2|Sally|Kretchmar|annek@noanswer.org|24023119|24023240"],
            await pipeline.RowsAsync(Customers));
    }

    [Theory]
    [InlineData("delete.schema.json", "create.schema.json")]
    [InlineData("delete.noschema.json", "create.noschema.json")]
    public async Task DeleteAndTombstone_RowGoneAndAReplayedCreateCannotResurrectIt(string name, string createName)
    {
        var fixture = GoldenFixture.Load(name);
        var create = GoldenFixture.Load(createName);
        await using var pipeline = await CustomersPipelineAsync(fixture);
        await pipeline.ApplyAsync([.. create.Records]);

        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(["2|Sally|Kretchmar|annek@noanswer.org|24023119|24023240"], await pipeline.RowsAsync(Customers));
        Assert.Equal(["public.customers|[\"1\"]|46523000|46523128"], await TombstonesAsync(pipeline));
        await pipeline.ApplyAsync([.. create.Records]);
        Assert.Equal(["2|Sally|Kretchmar|annek@noanswer.org|24023119|24023240"], await pipeline.RowsAsync(Customers));
    }

    [Fact]
    public async Task Message_OpM_SkippedWithNothingWrittenButTheOffsets()
    {
        var fixture = GoldenFixture.Load("message.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);

        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(
            ["cdc.heals", "cdc.offsets", "cdc.tombstones", "cdc.transaction_counts", "cdc.transaction_events", "cdc.transaction_progress", "cdc.transactions", "cdc.truncations"],
            await pipeline.RowsAsync("SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"));
        Assert.Empty(await pipeline.RowsAsync("SELECT 1 FROM cdc.tombstones UNION ALL SELECT 1 FROM cdc.truncations UNION ALL SELECT 1 FROM cdc.transaction_events"));
        Assert.Equal([$"{pipeline.Topic}|0|2"], await pipeline.RowsAsync("SELECT topic, partition::text, next_offset::text FROM cdc.offsets"));
    }

    [Fact]
    public async Task OtherModes_ConnectNanoIntervalStringMapsAndNumericDecimals_StoredExactly()
    {
        var fixture = GoldenFixture.Load("other-modes.schema.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);

        await pipeline.ApplyAsync([.. fixture.Records]);

        // c_ts -1 ms; c_nanots 1559033904863769123 ns and c_nanotime 34704863769123 ns to PostgreSQL's microseconds;
        // a map with int keys is a JSON object keyed by the keys' text.
        Assert.Equal(
            Sorted(new()
            {
                ["id"] = "1",
                ["c_date"] = "2019-05-28",
                ["c_time"] = "09:38:24.863",
                ["c_ts"] = "1969-12-31 23:59:59.999",
                ["c_nanots"] = "2019-05-28 08:58:24.863769",
                ["c_nanotime"] = "09:38:24.863769",
                ["c_interval"] = "1 year 2 mons 3 days 04:05:06.78",
                ["c_hstore"] = """{"a": "1", "b": null}""",
                ["c_numeric"] = "-123.45",
                ["c_numeric_exp"] = "1500.00",
                ["c_intmap"] = """{"1": "one", "2": null}""",
                ["_cdc_commit_lsn"] = "24029000",
                ["_cdc_event_lsn"] = "24029100",
            }),
            Sorted(await pipeline.RowTextAsync("public.other_modes", "id = 1")));
        Assert.Equal(
            ["id integer", "c_date date", "c_time time(3) without time zone", "c_ts timestamp(3) without time zone",
             "c_nanots timestamp(6) without time zone", "c_nanotime time(6) without time zone", "c_interval interval", "c_hstore jsonb",
             "c_numeric numeric(7,2)", "c_numeric_exp numeric(10,2)", "c_intmap jsonb", "_cdc_commit_lsn bigint", "_cdc_event_lsn bigint"],
            (await pipeline.ColumnTypesAsync("public.other_modes")).Select(c => $"{c.Key} {c.Value}"));
    }

    private static string LongBody { get; } = string.Concat(Enumerable.Repeat("a TOASTed body, ", 1000));

    private Task<GoldenPipeline> CustomersPipelineAsync(GoldenFixture fixture) =>
        fixture.Name.Contains(".noschema.", StringComparison.Ordinal)
            ? GoldenPipeline.CreateAsync(postgres, kafka, fixture, CustomersDdl)
            : GoldenPipeline.CreateAsync(postgres, kafka, fixture);

    /// <summary>The typical row again as id 4 (a later event of the same transaction) with <see cref="TrickyTextArray"/>.</summary>
    private static GoldenRecord TrickyTextArrayRow(GoldenFixture fixture) =>
        fixture[0].Derive(
            p =>
            {
                p["after"]!["id"] = 4;
                p["after"]!["c_text_arr"] = TrickyTextArray.DeepClone();
                p["source"]!["sequence"] = "[\"24028000\",\"24028103\"]";
                p["source"]!["lsn"] = 24028103;
            },
            key => key["id"] = 4);

    private static async Task AssertAllTypesRowsAsync(GoldenPipeline pipeline, bool sourceTyped)
    {
        string? Text(string column, bool typical)
        {
            if (sourceTyped && SourceTypedText.TryGetValue(column, out var text))
            {
                return typical ? text.Typical : text.Edges;
            }

            var expected = AllTypes.Single(c => c.Column == column);
            return typical ? expected.Typical : expected.Edges;
        }

        Dictionary<string, string?> Row(int id, bool typical, Func<string, string?>? value = null) =>
            AllTypes.ToDictionary(c => c.Column, c => c.Column == "id" ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : value?.Invoke(c.Column) ?? Text(c.Column, typical));

        var typicalRow = Row(1, typical: true);
        typicalRow["_cdc_commit_lsn"] = "24028000";
        typicalRow["_cdc_event_lsn"] = "24028100";
        Assert.Equal(Sorted(typicalRow), Sorted(await pipeline.RowTextAsync("public.all_types", "id = 1")));

        var edgeRow = Row(2, typical: false);
        edgeRow["_cdc_commit_lsn"] = "24028000";
        edgeRow["_cdc_event_lsn"] = "24028101";
        Assert.Equal(Sorted(edgeRow), Sorted(await pipeline.RowTextAsync("public.all_types", "id = 2")));

        var nullRow = AllTypes.ToDictionary(c => c.Column, c => c.Column == "id" ? "3" : null);
        nullRow["_cdc_commit_lsn"] = "24028000";
        nullRow["_cdc_event_lsn"] = "24028102";
        Assert.Equal(Sorted(nullRow), Sorted(await pipeline.RowTextAsync("public.all_types", "id = 3")));

        var trickyRow = Row(4, typical: true);
        trickyRow["c_text_arr"] = TrickyTextArrayText;
        trickyRow["_cdc_commit_lsn"] = "24028000";
        trickyRow["_cdc_event_lsn"] = "24028103";
        Assert.Equal(Sorted(trickyRow), Sorted(await pipeline.RowTextAsync("public.all_types", "id = 4")));

        // Beyond the text: the values compare equal to what the primary holds, as PostgreSQL sees them.
        Assert.Equal(
            ["true|true|true"],
            await pipeline.RowsAsync("""
                SELECT (c_interval = interval '1 day 02:03:04.5')::text,
                       (c_numeric_big = 12345678901234567890123456789012345.67890)::text,
                       (c_tstz = timestamptz '2019-05-28 11:38:24.863769+02')::text
                FROM public.all_types WHERE id = 1
                """));
    }

    private static List<string> Sorted(Dictionary<string, string?> row) =>
        [.. row.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value ?? "NULL"}")];

    private static Task<List<string>> TombstonesAsync(GoldenPipeline pipeline) =>
        pipeline.RowsAsync("SELECT target_table, row_key, commit_lsn::text, event_lsn::text FROM cdc.tombstones ORDER BY row_key");

    /// <summary>
    /// Every row of every table (the sink's own included) whose text holds a form of the TOAST placeholder: the text,
    /// its bytes in hex (bytea), its byte values (int arrays), its date values (date[]) or its name UUID (uuid[]).
    /// Each as <c>table (first two fields,</c>.
    /// </summary>
    private static async Task<List<string>> RowsHoldingAPlaceholderFormAsync(GoldenPipeline pipeline)
    {
        string[] forms = [Placeholder, "5f5f646562657a69756d5f756e617661696c61626c655f76616c7565", "95,95,100,101,98,101,122", "1970-04-06,1970-04-06", "b68a35a7-17ad-35b3-af2a-ae46edb4545a"];
        var tables = await pipeline.RowsAsync(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
        var found = new List<string>();
        foreach (var table in tables)
        {
            foreach (var row in await pipeline.RowsAsync($"SELECT t::text FROM {table} t ORDER BY 1"))
            {
                if (forms.Any(f => row.Contains(f, StringComparison.Ordinal)))
                {
                    found.Add($"{table} {string.Join(',', row.Split(',').Take(2))},");
                }
            }
        }

        return found;
    }
}
