using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

public sealed class IncrementalSnapshotTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const int Rows = 3000;
    private const string Table = "public.inc";
    private const string Create = "CREATE TABLE inc (id int PRIMARY KEY, v int NOT NULL)";
    private const string Select = "SELECT id::text, v::text FROM inc ORDER BY id";

    [Fact]
    public async Task An_execute_snapshot_signal_repairs_a_drifted_store_while_the_same_keys_are_updated()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, partitions: 16, $"{Create}; INSERT INTO inc SELECT g, 0 FROM generate_series(1, {Rows}) g; CREATE TABLE inc_done (id int PRIMARY KEY)", Table);
        bed.Options.SnapshotChunkSize = 100;
        var store = await postgres.CreateDatabaseAsync();
        await StoreRows.ExecuteAsync(store, Create);
        await using var capture = await bed.StartAsync();
        await using var sink = await SinkProcess.StartAsync(store, kafka, bed.Topic(Table));
        await StoreRows.UntilEqualAsync(store, Select, await StoreRows.ReadAsync(bed.SourceConnectionString, Select), TimeSpan.FromSeconds(60));

        // Drift the store behind the pipeline's back: rows lost and rows changed.
        await StoreRows.ExecuteAsync(store, "DELETE FROM inc WHERE id % 7 = 0; UPDATE inc SET v = -1 WHERE id % 11 = 0");
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var random = new Random(4);
            while (!writing.IsCancellationRequested)
            {
                // A few hot keys, so streamed changes keep landing inside open snapshot windows.
                var id = random.Next(2) == 0 ? random.Next(1, 50) : random.Next(1, Rows + 1);
                await bed.ExecuteAsync($"UPDATE inc SET v = v + 1 WHERE id = {id}");
            }
        });

        // Two filtered requests queued together are merged into one snapshot (a heal's keyed re-streams must not
        // queue up behind each other). Requests are answered in order: the empty inc_done's window closes last.
        await bed.ExecuteAsync("""
            INSERT INTO debezium_signal (id, type, data) VALUES ('repair-1', 'execute-snapshot',
              '{"data-collections":["public.inc"],"type":"incremental","additional-conditions":[{"data-collection":"public.inc","filter":"id <= 1500"}]}');
            INSERT INTO debezium_signal (id, type, data) VALUES ('repair-2', 'execute-snapshot',
              '{"data-collections":["public.inc"],"type":"incremental","additional-conditions":[{"data-collection":"public.inc","filter":"id > 1500"}]}');
            INSERT INTO debezium_signal (id, type, data) VALUES ('done', 'execute-snapshot', '{"data-collections":["public.inc_done"],"type":"incremental"}');
            """);
        await Wait.UntilAsync(
            async () => await bed.ScalarAsync<long>("SELECT count(*) FROM debezium_signal WHERE type = 'snapshot-window-close' AND data = 'public.inc_done'") == 1,
            TimeSpan.FromSeconds(120),
            "both incremental snapshots to read every chunk");

        // One merged snapshot, its chunk limit doubling from 100 while chunks come back full: 100 + 200 + 400 + 800
        // rows, then 1,500 of 1,600. Each chunk waits for its close watermark to come through the stream: requested
        // one by one in chunks of 100 they took 32 (a heal under load fell minutes behind).
        Assert.Equal(5, await bed.ScalarAsync<long>("SELECT count(*) FROM debezium_signal WHERE type = 'snapshot-window-close' AND data = 'public.inc'"));
        await writing.CancelAsync();
        await writer;

        using var reader = bed.Reader(Table);
        try
        {
            await StoreRows.UntilEqualAsync(store, Select, await StoreRows.ReadAsync(bed.SourceConnectionString, Select), TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e.Message.Contains("row ", StringComparison.Ordinal))
        {
            var key = e.Message.Split("row ")[1].Split(' ')[0];
            var history = (await reader.SettleAsync(TimeSpan.FromSeconds(1))).Where(r => r.KeyText == key)
                .Select(r => $"{r.Op}/{r.Event?.Source.Snapshot}/v={(r.Event?.After?.TryGet("v", out var c) == true ? c.Value : null)}/seq={r.Event?.Source.Sequence}@{r.Partition}:{r.Offset}");
            throw new InvalidOperationException(e.Message + " topic history: " + string.Join(", ", history), e);
        }

        var records = await reader.SettleAsync(TimeSpan.FromSeconds(1));
        var reads = records.Where(r => r.Event?.Source.Snapshot == "incremental").ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.Null(r.Event!.Source.Lsn));
    }
}
