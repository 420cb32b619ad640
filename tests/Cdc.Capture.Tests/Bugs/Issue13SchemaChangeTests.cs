using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests.Bugs;

/// <summary>
/// Issue 13, item 8: the primary changes its schema under load and the store converges without an operator. An added
/// column with a constant default gives the store's existing rows that default (the connector puts it into the column's
/// schema, as Debezium does, and the sink adds the column with it); a renamed column, a type change the store had no
/// widening for, a volatile default and a renamed table make the connector re-snapshot the table through the one
/// re-snapshot path, said in its log. Before, existing rows stayed NULL, kept their value only in the old column,
/// stayed stale, or were missing from the renamed table's store table.
/// </summary>
public sealed class Issue13SchemaChangeTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_schema_change_under_load_leaves_the_store_equal_to_the_primary()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, """
            CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, qty int, note text);
            INSERT INTO items SELECT g, 0, g, 'note ' || g FROM generate_series(1, 300) g;
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
        await bed.ExecuteAsync("ALTER TABLE items ADD COLUMN stamp timestamptz DEFAULT clock_timestamp()");
        await bed.ExecuteAsync("UPDATE items SET n = n + 1 WHERE id = 4");
        await bed.ExecuteAsync("ALTER TABLE legacy RENAME TO current");
        await bed.ExecuteAsync("UPDATE current SET v = 'after rename' WHERE id = 5");
        await bed.ExecuteAsync("INSERT INTO current VALUES (101, 'new')");

        await stopLoad.CancelAsync();
        await load;

        const string Items = "SELECT id::text, n::text, qty::text, remark, seven::text, stamp::text FROM items ORDER BY id";
        await StoreRows.UntilEqualAsync(store, Items, await StoreRows.ReadAsync(bed.SourceConnectionString, Items), Timeout);
        const string Current = "SELECT id::text, v FROM current ORDER BY id";
        await StoreRows.UntilEqualAsync(store, Current, await StoreRows.ReadAsync(bed.SourceConnectionString, Current), Timeout);

        Assert.Contains("column note renamed or dropped (remark in its place)", log.Text, StringComparison.Ordinal);
        Assert.Contains("column qty changed type from integer to text", log.Text, StringComparison.Ordinal);
        Assert.Contains("column stamp added with a default that is not a constant", log.Text, StringComparison.Ordinal);
        Assert.Contains("table public.legacy was renamed to public.current", log.Text, StringComparison.Ordinal);
        Assert.Contains("incremental snapshot requested of public.current (schema-change)", log.Text, StringComparison.Ordinal);
        Assert.Equal(["100"], await StoreRows.ReadAsync(store, "SELECT count(*)::text FROM legacy"));
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
