using Cdc.Capture.Tests.Support;
using Cdc.Schemas;
using Cdc.Schemas.Model;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

public sealed class StreamingTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Orders = "public.orders";
    private const string Setup = "CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, note text)";

    [Fact]
    public async Task Inserts_updates_and_deletes_arrive_as_Debezium_events_in_commit_order()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, Setup, Orders);
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        using var reader = bed.Reader(Orders);

        await bed.ExecuteAsync("INSERT INTO orders VALUES (1, 'new', NULL), (2, 'new', 'gift')");
        await bed.ExecuteAsync("UPDATE orders SET status = 'paid' WHERE id = 1");
        await bed.ExecuteAsync("DELETE FROM orders WHERE id = 2");

        var records = await reader.ReadUntilAsync(r => r.Count >= 5, TimeSpan.FromSeconds(30), "five records");
        var byKey = records.GroupBy(r => r.KeyText).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Offset).Select(r => r.Op).ToList());
        Assert.Equal(["c", "u"], byKey["1"]);
        Assert.Equal(["c", "d", "tombstone"], byKey["2"]);

        var update = records.Single(r => r.Op == "u").Event!;
        Assert.Null(update.Before);
        Assert.Equal("paid", Text(update.After!, "status"));
        var delete = records.Single(r => r.Op == "d").Event!;
        Assert.Null(delete.After);
        Assert.Equal("2", Text(delete.Before!, "id"));

        var source = update.Source;
        Assert.Equal("postgresql", source.Connector);
        Assert.Equal(bed.Options.TopicPrefix, source.Name);
        Assert.Equal("public", source.Schema);
        Assert.Equal("orders", source.Table);
        Assert.Equal("false", source.Snapshot);
        Assert.NotNull(source.TxId);
        Assert.NotNull(source.Lsn);
        var (lastCommit, eventLsn) = SourceSequence.Parse(source.Sequence!);
        Assert.Equal(source.Lsn, eventLsn);
        Assert.True(lastCommit <= eventLsn, $"sequence {source.Sequence}: the previous commit precedes the event");
        Assert.InRange(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - source.TsMs!.Value, 0, 60_000);

        // Commit order is the order of (sequence[0], sequence[1]) across transactions.
        var versions = records.Where(r => r.Event is not null).OrderBy(r => r.Event!.Source.TxId).ThenBy(r => r.Event!.Source.Lsn).Select(r => r.Event!.Source.ChangeVersion!.Value).ToList();
        Assert.Equal(versions.Order(), versions);
    }

    [Fact]
    public async Task A_primary_key_change_is_a_delete_a_tombstone_and_a_create()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, Setup + "; INSERT INTO orders VALUES (7, 'new', NULL)", Orders);
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        using var reader = bed.Reader(Orders);

        await bed.ExecuteAsync("UPDATE orders SET id = 8 WHERE id = 7");

        var records = await reader.ReadUntilAsync(r => r.Count(x => x.Op != "r") >= 3, TimeSpan.FromSeconds(30), "the key change");
        var streamed = records.Where(r => r.Op != "r").ToList();
        Assert.Equal(["d", "tombstone"], streamed.Where(r => r.KeyText == "7").OrderBy(r => r.Offset).Select(r => r.Op));
        Assert.Equal(["c"], streamed.Where(r => r.KeyText == "8").Select(r => r.Op));
    }

    [Fact]
    public async Task A_restarted_connector_resumes_from_its_slot_without_a_new_snapshot()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, Setup + "; INSERT INTO orders VALUES (1, 'new', NULL)", Orders);
        await using (var first = await bed.StartAsync())
        {
            await CaptureTestBed.UntilStreamingAsync(first);
            await bed.ExecuteAsync("INSERT INTO orders VALUES (2, 'new', NULL)");
            using var reader = bed.Reader(Orders);
            await reader.ReadUntilAsync(r => r.Count >= 2, TimeSpan.FromSeconds(30), "the snapshot row and the insert");
        }

        await bed.ExecuteAsync("INSERT INTO orders VALUES (3, 'new', NULL)");
        await using var second = await bed.StartAsync();
        using var all = bed.Reader(Orders);
        var records = await all.ReadUntilAsync(r => r.Any(x => x.KeyText == "3"), TimeSpan.FromSeconds(30), "the insert made while stopped");
        records = await all.SettleAsync(TimeSpan.FromSeconds(2));
        // At least once: the insert of 2 may be sent again (its commit was not confirmed yet at the stop), never lost.
        Assert.Equal(["1:r", "2:c", "3:c"], records.Select(r => $"{r.KeyText}:{r.Op}").Distinct().Order());
        Assert.Equal(1, records.Count(r => r.Op == "r"));
    }

    private static string? Text(RowImage row, string column) =>
        row.TryGet(column, out var c) ? c.Value switch
        {
            System.Text.Json.JsonElement e => e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString() : e.GetRawText(),
            var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        } : null;
}
