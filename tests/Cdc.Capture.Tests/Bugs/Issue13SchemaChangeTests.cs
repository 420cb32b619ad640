using Cdc.Capture.Tests.Support;
using Confluent.Kafka;
using Cdc.Testing;

namespace Cdc.Capture.Tests.Bugs;

/// <summary>
/// Issue 13, item 8: the primary changes its schema under load and the store converges without an operator. An added
/// column with a constant default gives the store's existing rows that default (the connector puts it into the column's
/// schema, as Debezium does, and the sink adds the column with it); a renamed column, a type change the store had no
/// widening for, a volatile default and a renamed table make the connector re-snapshot the table through the one
/// re-snapshot path, said in its log; a type the store's column cannot hold retypes that column. DDL done while the
/// connector was stopped is found at its start. Before, existing rows stayed NULL, kept their value only in the old
/// column, stayed stale (a retyped column's values dead-lettered or printed in the old type), or were missing from the
/// renamed table's store table.
/// </summary>
public sealed class Issue13SchemaChangeTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_schema_change_under_load_leaves_the_store_equal_to_the_primary()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, """
            CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, qty int, note text, at timestamp, price numeric(10,2));
            INSERT INTO items SELECT g, 0, g, 'note ' || g, timestamp '2026-01-01' + g * interval '1 hour', g + 0.25 FROM generate_series(1, 300) g;
            CREATE TABLE legacy (id int PRIMARY KEY, v text);
            INSERT INTO legacy SELECT g, 'v' || g FROM generate_series(1, 100) g;
            """);
        bed.Options.Tables = [];
        foreach (var table in new[] { "public.items", "public.legacy", "public.current" })
        {
            kafka.CreateTopic(bed.Topic(table), bed.Partitions);
        }

        var store = await postgres.CreateDatabaseAsync();
        await using var sink = await SinkProcess.StartAsync(store, kafka, bed.Topic("public.items"), bed.Topic("public.legacy"), bed.Topic("public.current"));
        var log = new LogRecorder();
        await using var capture = await bed.StartAsync(log);
        await CaptureTestBed.UntilStreamingAsync(capture);
        await StoreRows.UntilEqualAsync(store, "SELECT count(*)::text FROM items", ["300"], Timeout);
        await StoreRows.UntilEqualAsync(store, "SELECT count(*)::text FROM legacy", ["100"], Timeout);

        using var stopLoad = new CancellationTokenSource();
        var load = LoadAsync(bed, stopLoad.Token);

        // A constant default: no re-snapshot, the store's untouched rows get 7 from the column's schema default.
        await bed.ExecuteAsync("ALTER TABLE items ADD COLUMN seven int DEFAULT 7");
        await bed.ExecuteAsync("UPDATE items SET n = n + 1 WHERE id = 1");
        await StoreRows.UntilEqualAsync(store, "SELECT count(*)::text FROM items WHERE seven IS DISTINCT FROM 7", ["0"], Timeout);
        Assert.DoesNotContain("re-snapshotting", log.Text, StringComparison.Ordinal);

        await bed.ExecuteAsync("ALTER TABLE items RENAME COLUMN note TO remark");
        await bed.ExecuteAsync("UPDATE items SET remark = 'renamed' WHERE id = 2");
        await bed.ExecuteAsync("ALTER TABLE items ALTER COLUMN qty TYPE text USING qty::text");
        await bed.ExecuteAsync("UPDATE items SET qty = 'many' WHERE id = 3");
        // Types the store's column cannot hold: it is retyped with PostgreSQL's cast, and the re-snapshot rewrites the rows.
        await bed.ExecuteAsync("ALTER TABLE items ALTER COLUMN at TYPE timestamptz");
        await bed.ExecuteAsync("ALTER TABLE items ALTER COLUMN price TYPE integer USING round(price)");
        await bed.ExecuteAsync("UPDATE items SET price = 42 WHERE id = 6");
        await bed.ExecuteAsync("ALTER TABLE items ADD COLUMN stamp timestamptz DEFAULT clock_timestamp()");
        await bed.ExecuteAsync("UPDATE items SET n = n + 1 WHERE id = 4");
        await bed.ExecuteAsync("ALTER TABLE legacy RENAME TO current");
        await bed.ExecuteAsync("UPDATE current SET v = 'after rename' WHERE id = 5");
        await bed.ExecuteAsync("INSERT INTO current VALUES (101, 'new')");

        await stopLoad.CancelAsync();
        await load;

        const string Items = "SELECT id::text, n::text, qty::text, remark, seven::text, stamp::text, at::text, price::text FROM items ORDER BY id";
        await StoreRows.UntilEqualAsync(store, Items, await StoreRows.ReadAsync(bed.SourceConnectionString, Items), Timeout);
        const string Current = "SELECT id::text, v FROM current ORDER BY id";
        await StoreRows.UntilEqualAsync(store, Current, await StoreRows.ReadAsync(bed.SourceConnectionString, Current), Timeout);

        Assert.Contains("column note renamed or dropped (remark in its place)", log.Text, StringComparison.Ordinal);
        Assert.Contains("column qty changed type from integer to text", log.Text, StringComparison.Ordinal);
        Assert.Contains("column at changed type from timestamp without time zone to timestamp with time zone", log.Text, StringComparison.Ordinal);
        Assert.Contains("column stamp added with a default that is not a constant", log.Text, StringComparison.Ordinal);
        Assert.Contains("table public.legacy was renamed to public.current", log.Text, StringComparison.Ordinal);
        Assert.Contains("incremental snapshot requested of public.current (schema-change)", log.Text, StringComparison.Ordinal);
        Assert.Equal(["100"], await StoreRows.ReadAsync(store, "SELECT count(*)::text FROM legacy"));

        // DDL while the connector is stopped, with no change of the table after it: pgoutput would announce the new shape
        // only before the table's next change, so the connector compares each table with the shape it last emitted.
        // Nothing older than the DDL is left to stream (else its old Relation message would give the change away).
        var streamed = await bed.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        await Wait.UntilAsync(
            () => bed.ScalarAsync<bool>($"SELECT confirmed_flush_lsn >= '{streamed}'::pg_lsn FROM pg_replication_slots WHERE slot_name = '{bed.Options.Slot}'"),
            Timeout,
            "the slot to confirm everything written");
        await capture.StopAsync();
        await bed.ExecuteAsync("ALTER TABLE items ALTER COLUMN qty TYPE integer USING length(qty)");
        await bed.ExecuteAsync("ALTER TABLE items RENAME COLUMN remark TO memo");
        await using var restarted = await bed.StartAsync(log);
        const string Stopped = "SELECT id::text, qty::text, memo FROM items ORDER BY id";
        await StoreRows.UntilEqualAsync(store, Stopped, await StoreRows.ReadAsync(bed.SourceConnectionString, Stopped), Timeout);
        Assert.Contains("while the connector was stopped: column qty changed type from text to integer", log.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// With Debezium as the connector (it does not re-read a table after a schema change, and the sink cannot reach the
    /// primary), the sink asks for the re-snapshot itself when it changes a column for an event's new schema, through the
    /// Kafka signal channel both connectors read; here the .NET connector answers it. Before, only the rows changed
    /// after the DDL were right: the rest kept the values the primary's <c>USING</c> rewrote.
    /// </summary>
    [Fact]
    public async Task A_Debezium_event_with_a_changed_column_type_makes_the_sink_ask_for_the_re_snapshot()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, """
            CREATE TABLE t (id int PRIMARY KEY, v int);
            INSERT INTO t SELECT g, g FROM generate_series(1, 50) g;
            """, "public.t");
        kafka.CreateTopic(bed.Options.SignalKafkaTopicName, 1);
        var store = await postgres.CreateDatabaseAsync();
        var sinkLog = new LogRecorder();
        await using var sink = await SinkProcess.StartAsync(store, kafka, sinkLog, bed.Topic("public.t"));
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        await StoreRows.UntilEqualAsync(store, "SELECT count(*)::text FROM t", ["50"], Timeout);

        // No change of t follows, so the .NET connector is not told: only the Debezium-shaped event carries the new type.
        await bed.ExecuteAsync("ALTER TABLE t ALTER COLUMN v TYPE bigint USING v * 10");
        await ProduceDebeziumUpdateAsync(bed, "t");

        const string Rows = "SELECT id::text, v::text FROM t ORDER BY id";
        await StoreRows.UntilEqualAsync(store, Rows, await StoreRows.ReadAsync(bed.SourceConnectionString, Rows), Timeout);
        Assert.Equal(["bigint"], await StoreRows.ReadAsync(store, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'v'"));
        Assert.Contains("asking the connector to re-snapshot the table", sinkLog.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A table renamed on the primary while Debezium is the connector: its events arrive on a new topic and Debezium does
    /// not snapshot it, so the store's new table would hold only the rows changed after the rename. The sink asks for the
    /// re-snapshot of a table whose first event is a live change. Here the .NET connector answers; it starts without an
    /// initial snapshot, so <c>t2</c>'s rows reach Kafka only through that re-snapshot, as after a Debezium rename.
    /// Before, the store held only row 1.
    /// </summary>
    [Fact]
    public async Task A_Debezium_table_first_seen_in_a_live_change_makes_the_sink_ask_for_its_re_snapshot()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, """
            CREATE TABLE t2 (id int PRIMARY KEY, v int);
            INSERT INTO t2 SELECT g, g FROM generate_series(1, 50) g;
            """, "public.t2");
        bed.Options.SkipInitialSnapshot = true;
        kafka.CreateTopic(bed.Options.SignalKafkaTopicName, 1);
        var store = await postgres.CreateDatabaseAsync();
        var sinkLog = new LogRecorder();
        await using var sink = await SinkProcess.StartAsync(store, kafka, sinkLog, bed.Topic("public.t2"));
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);

        await ProduceDebeziumUpdateAsync(bed, "t2", "int32", 1);

        const string Rows = "SELECT id::text, v::text FROM t2 ORDER BY id";
        await StoreRows.UntilEqualAsync(store, Rows, await StoreRows.ReadAsync(bed.SourceConnectionString, Rows), Timeout);
        Assert.Contains("(created from a live change, not a snapshot)", sinkLog.Text, StringComparison.Ordinal);
    }

    /// <summary>Produces <see cref="DebeziumUpdate"/> of <c>public.</c><paramref name="table"/> at the primary's current WAL position, to partition 0 of its topic.</summary>
    private async Task ProduceDebeziumUpdateAsync(CaptureTestBed bed, string table, string type = "int64", int v = 10)
    {
        var topic = bed.Topic($"public.{table}");
        var lsn = await bed.ScalarAsync<long>("SELECT (pg_current_wal_lsn() - '0/0')::bigint");
        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        var (key, value) = DebeziumUpdate(topic, lsn, table, type, v);
        await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Key = key, Value = value });
    }

    /// <summary>Debezium 3.1's update event of <paramref name="table"/> (id 1, v as <paramref name="type"/>), JsonConverter with schemas.</summary>
    private static (string Key, string Value) DebeziumUpdate(string topic, long lsn, string table, string type, int v)
    {
        var row = """{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"TYPE","optional":true,"field":"v"}],"optional":true,"name":"TOPIC.Value","field":"FIELD"}""".Replace("TOPIC", topic, StringComparison.Ordinal).Replace("TYPE", type, StringComparison.Ordinal);
        var source = """{"type":"struct","fields":[{"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},{"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},"default":"false","field":"snapshot"},{"type":"string","optional":false,"field":"db"},{"type":"string","optional":true,"field":"sequence"},{"type":"string","optional":false,"field":"schema"},{"type":"string","optional":false,"field":"table"},{"type":"int64","optional":true,"field":"txId"},{"type":"int64","optional":true,"field":"lsn"},{"type":"int64","optional":true,"field":"xmin"}],"optional":false,"name":"io.debezium.connector.postgresql.Source","field":"source"}""";
        var schema = $$$"""{"type":"struct","fields":[{{{row.Replace("FIELD", "before", StringComparison.Ordinal)}}},{{{row.Replace("FIELD", "after", StringComparison.Ordinal)}}},{{{source}}},{"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"}],"optional":false,"name":"{{{topic}}}.Envelope"}""";
        var payload = $$$"""{"before":null,"after":{"id":1,"v":{{{v}}}},"source":{"version":"3.1.3.Final","connector":"postgresql","name":"x","ts_ms":1700000000000,"snapshot":"false","db":"d","sequence":"[\"{{{lsn}}}\",\"{{{lsn}}}\"]","schema":"public","table":"{{{table}}}","txId":1,"lsn":{{{lsn}}},"xmin":null},"op":"u","ts_ms":1700000000000}""";
        var key = $$$"""{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"{{{topic}}}.Key"},"payload":{"id":1}}""";
        return (key, $$$"""{"schema":{{{schema}}},"payload":{{{payload}}}}""");
    }

    /// <summary>Writers keep inserting and changing rows (a column no change renames or retypes) while the schema changes.</summary>
    private static async Task LoadAsync(CaptureTestBed bed, CancellationToken stop)
    {
        var next = 1000;
        while (!stop.IsCancellationRequested)
        {
            // The original rows stay untouched, so only the column's schema default can give them their value.
            await bed.ExecuteAsync($"UPDATE items SET n = n + 1 WHERE id >= 1000 AND id % 7 = {next % 7}; INSERT INTO items (id, n) VALUES ({next++}, 1)");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
