using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

/// <summary>
/// A connector killed (SIGKILL) under write load and restarted: every committed change reaches Kafka, in commit order per
/// key, with at most a replayed tail. The writers do a fixed amount of work in three phases (while the connector runs and
/// is killed, while it is down, after the restart), so the test's duration and memory do not depend on the machine's speed.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class KillTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const int Keys = 50;
    private const int UpdatesWhileRunning = 500;
    private const int UpdatesWhileDown = 100;
    private const int UpdatesAfterRestart = 100;
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killed_under_write_load_and_restarted_every_committed_change_reaches_Kafka_in_per_key_order()
    {
        await using var bed = await CaptureTestBed.CreateAsync(
            postgres, kafka, $"CREATE TABLE k (id int PRIMARY KEY, n int8 NOT NULL); INSERT INTO k SELECT g, 0 FROM generate_series(1, {Keys}) g;", "public.k");
        using var reader = bed.Reader("public.k");
        ParityKeyWriter[] writers = [new(bed, Keys, 0), new(bed, Keys, 1)];
        CliProcess? child = Start(bed);
        var killedOutput = "";
        try
        {
            await reader.ReadUntilAsync(r => r.Count(x => x.Op == "r") >= Keys, TimeSpan.FromSeconds(60), "the snapshot");
            var underWay = WriteAsync(writers, UpdatesWhileRunning);
            await reader.ReadUntilAsync(r => r.Count(x => x.Op == "u") >= 100, PhaseTimeout, "streamed updates");
            await child.KillAsync();
            killedOutput = child.Output;
            child.Dispose();
            child = null;
            await WithinAsync(underWay, "the updates under way when the connector was killed");
            await WithinAsync(WriteAsync(writers, UpdatesWhileDown), "the updates while the connector was down");
            child = Start(bed);
            await WithinAsync(WriteAsync(writers, UpdatesAfterRestart), "the updates after the restart");

            var committed = writers.SelectMany(w => w.Committed).ToDictionary(p => p.Key, p => p.Value);
            var finals = committed.ToDictionary(p => p.Key, p => p.Value[^1]);
            var records = await reader.ReadUntilAsync(
                r => finals.All(f => r.Any(x => x.KeyText == f.Key && Value(x) == f.Value)),
                TimeSpan.FromSeconds(90),
                "every key's last committed value");
            PerKeyHistory.AssertComplete(committed, records, Value);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}killed connector:{Environment.NewLine}{killedOutput}{Environment.NewLine}running connector:{Environment.NewLine}{child?.Output}", e);
        }
        finally
        {
            if (child is not null)
            {
                child.Terminate();
                await child.WaitForExitAsync(TimeSpan.FromSeconds(20));
                child.Dispose();
            }
        }
    }

    private static CliProcess Start(CaptureTestBed bed)
    {
        var o = bed.Options;
        return CliProcess.Start(
        [
            "capture", "--source", o.Source!, "--bootstrap-servers", o.BootstrapServers!, "--topic-prefix", o.TopicPrefix,
            "--tables", string.Join(',', o.Tables), "--slot", o.Slot, "--publication", o.Publication,
        ]);
    }

    private static Task WriteAsync(ParityKeyWriter[] writers, int updatesEach) => Task.WhenAll(writers.Select(w => Task.Run(() => w.WriteAsync(updatesEach))));

    private static async Task WithinAsync(Task work, string what)
    {
        try
        {
            await work.WaitAsync(PhaseTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"timed out after {PhaseTimeout.TotalSeconds:0}s waiting for {what}", e);
        }
    }

    private static long? Value(CapturedRecord record) =>
        record.Event?.After is { } after && after.TryGet("n", out var c) ? Convert.ToInt64(c.Value is System.Text.Json.JsonElement e ? e.GetInt64() : c.Value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
