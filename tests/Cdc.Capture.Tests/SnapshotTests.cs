using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

public sealed class SnapshotTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task The_initial_snapshot_reads_every_row_with_Debeziums_snapshot_markers()
    {
        const string setup = """
            CREATE TABLE a (id int PRIMARY KEY, v text);
            CREATE TABLE b (id int PRIMARY KEY, v text);
            INSERT INTO a SELECT g, 'a' || g FROM generate_series(1, 3) g;
            INSERT INTO b SELECT g, 'b' || g FROM generate_series(1, 3) g;
            """;
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, setup, "public.a", "public.b");
        await using var capture = await bed.StartAsync();
        using var reader = bed.Reader("public.a", "public.b");

        var records = await reader.ReadUntilAsync(r => r.Count >= 6, TimeSpan.FromSeconds(60), "six snapshot reads");

        Assert.All(records, r => Assert.Equal("r", r.Op));
        // One producer, one partition per key: the per-table order of markers is the emission order within a partition,
        // so compare the multiset and the markers of the table edges.
        var markers = records.Select(r => $"{r.Event!.Source.Table}{r.KeyText}:{r.Event!.Source.Snapshot}").Order().ToList();
        Assert.Equal(["a1:first", "a2:true", "a3:last_in_data_collection", "b1:first_in_data_collection", "b2:true", "b3:last"], markers);
        Assert.All(records, r => Assert.Null(r.Event!.Before));
        var lsn = records[0].Event!.Source.Lsn;
        Assert.All(records, r => Assert.Equal(lsn, r.Event!.Source.Lsn));
    }

    [Fact]
    public async Task Snapshot_and_stream_hand_over_without_losing_or_doubling_concurrent_inserts()
    {
        const string setup = "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'seed' FROM generate_series(1, 20000) g;";
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, partitions: 48, setup, "public.t");
        using var writing = new CancellationTokenSource();
        var next = 20_000;
        var writer = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                var id = Interlocked.Increment(ref next);
                await bed.ExecuteAsync($"INSERT INTO t VALUES ({id}, 'live')");
            }
        });
        await Task.Delay(200);
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        await Task.Delay(500);
        await writing.CancelAsync();
        await writer;
        var rows = await bed.ScalarAsync<long>("SELECT count(*) FROM t");

        using var reader = bed.Reader("public.t");
        var records = await reader.ReadUntilAsync(r => r.Count >= rows, TimeSpan.FromSeconds(120), $"{rows} rows");
        records = await reader.SettleAsync(TimeSpan.FromSeconds(2));

        var perKey = records.GroupBy(r => r.KeyText).ToDictionary(g => g.Key, g => g.Select(r => r.Op).ToList());
        Assert.Equal(rows, perKey.Count);
        Assert.All(perKey, p => Assert.Single(p.Value));
        Assert.Contains(records, r => r.Op == "c");
        Assert.Contains(records, r => r.Op == "r" && r.KeyText != "" && int.Parse(r.KeyText, System.Globalization.CultureInfo.InvariantCulture) > 20_000);
    }
}
