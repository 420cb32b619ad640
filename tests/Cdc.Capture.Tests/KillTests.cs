using System.Collections.Concurrent;
using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

[Collection(FaultCollection.Name)]
public sealed class KillTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const int Keys = 50;

    [Fact]
    public async Task Killed_under_write_load_and_restarted_every_committed_change_reaches_Kafka_in_per_key_order()
    {
        await using var bed = await CaptureTestBed.CreateAsync(
            postgres, kafka, $"CREATE TABLE k (id int PRIMARY KEY, n int8 NOT NULL); INSERT INTO k SELECT g, 0 FROM generate_series(1, {Keys}) g;", "public.k");
        using var reader = bed.Reader("public.k");
        var committed = new ConcurrentDictionary<string, List<long>>();
        using var writing = new CancellationTokenSource();
        var child = Start(bed);
        await reader.ReadUntilAsync(r => r.Count(x => x.Op == "r") >= Keys, TimeSpan.FromSeconds(60), "the snapshot");
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() => WriteAsync(bed, w, committed, writing.Token))).ToList();
        try
        {
            await reader.ReadUntilAsync(r => r.Count(x => x.Op == "u") >= 200, TimeSpan.FromSeconds(60), "streamed updates");
            await child.KillAsync();
            await Task.Delay(500);
            child.Dispose();
            child = Start(bed);
            await Task.Delay(1500);
        }
        finally
        {
            await writing.CancelAsync();
            await Task.WhenAll(writers);
        }

        try
        {
            var finals = committed.ToDictionary(p => p.Key, p => p.Value.Max());
            var records = await reader.ReadUntilAsync(
                r => finals.All(f => r.Any(x => x.KeyText == f.Key && Value(x) == f.Value)),
                TimeSpan.FromSeconds(90),
                "every key's last committed value");
            PerKeyHistory.AssertComplete(committed.ToDictionary(p => p.Key, p => p.Value), records, Value);
        }
        catch (Exception e) when (e is TimeoutException)
        {
            throw new TimeoutException(e.Message + Environment.NewLine + child.Output, e);
        }
        finally
        {
            child.Terminate();
            await child.WaitForExitAsync(TimeSpan.FromSeconds(20));
            child.Dispose();
        }
    }

    private static CliProcess Start(CaptureTestBed bed)
    {
        var o = bed.Options;
        return CliProcess.Start(
        [
            "capture", "--source", o.Source!, "--bootstrap-servers", o.BootstrapServers!, "--topic-prefix", o.TopicPrefix,
            "--tables", string.Join(',', o.Tables), "--slot", o.Slot, "--publication", o.Publication, "--heartbeat-interval", "00:00:01",
        ]);
    }

    private static async Task WriteAsync(CaptureTestBed bed, int writer, ConcurrentDictionary<string, List<long>> committed, CancellationToken stop)
    {
        // Each writer owns the keys of its parity, so it knows every value it committed, in order.
        var random = new Random(writer);
        while (!stop.IsCancellationRequested)
        {
            var id = (random.Next(Keys / 2) * 2) + 1 + writer;
            var n = await bed.ScalarAsync<long>($"UPDATE k SET n = n + 1 WHERE id = {id} RETURNING n");
            committed.GetOrAdd(id.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => []).Add(n);
        }
    }

    private static long? Value(CapturedRecord record) =>
        record.Event?.After is { } after && after.TryGet("n", out var c) ? Convert.ToInt64(c.Value is System.Text.Json.JsonElement e ? e.GetInt64() : c.Value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
