using System.Globalization;
using System.Text;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Cdc.DevKit.Kafka;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Bugs;

/// <summary>
/// Issue 12, items 1 and 2 at the sink: records a sink never read (the log start passed its stored offset; the topic
/// was recreated) are found at once, said in a log line and counted, recorded as a heal request in the store, and
/// signalled to the source connector through Debezium's Kafka signal topic; the stored offsets follow a new incarnation.
/// </summary>
public sealed class Issue12StreamGapTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RetentionPassedStoredOffset_GapRecordedCountedAndSignalled()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        var topic = options.Kafka.Topics[0];
        for (var id = 1; id <= 100; id++)
        {
            model.Upsert(id, "new");
        }

        model.Flush();
        await using (var first = await SinkRunner.StartAsync(options))
        {
            await bed.UntilInSyncAsync(Timeout);
            await Wait.UntilAsync(() => Task.FromResult(first.Sink.Worker.RecordsApplied == 100), Timeout, "the first worker to store its offsets");
        }

        var stored = Watermarks(topic);
        for (var id = 1; id <= 100; id++)
        {
            model.Upsert(id, "changed while the sink was down");
        }

        model.Flush();
        var beforeRetention = Watermarks(topic);
        foreach (var (partition, high) in beforeRetention)
        {
            kafka.Cluster.DeleteRecords(topic, partition, high);
        }

        for (var id = 101; id <= 110; id++)
        {
            model.Upsert(id, "new");
        }

        model.Flush();
        var log = new LogRecorder();
        await using var second = await SinkRunner.StartAsync(options, log);
        await Wait.UntilAsync(async () => (await store.RowsAsync("SELECT count(*) FROM public.orders"))[0] == "110", Timeout, "the records after the gap to be applied");

        var expected = beforeRetention.Where(w => w.Value > stored[w.Key])
            .Select(w => $"{w.Key}|{stored[w.Key]}|{w.Value - 1}|{w.Value - stored[w.Key]}|log-start-passed|shop|public.{topic.Split('.')[^1]}")
            .OrderBy(r => r, StringComparer.Ordinal).ToList();
        Assert.Equal(100, beforeRetention.Sum(w => w.Value - stored[w.Key]));
        await Wait.UntilAsync(
            async () => (await store.RowsAsync($"SELECT state FROM cdc.heals WHERE consumer_group = '{options.Kafka.GroupId}' AND state <> 'signalled'")).Count == 0,
            Timeout,
            "every heal to be signalled");
        Assert.Equal(expected, await store.RowsAsync(
            $"SELECT partition, from_offset, to_offset, records_lost, reason, topic_prefix, source_table FROM cdc.heals WHERE consumer_group = '{options.Kafka.GroupId}' ORDER BY 1"));
        foreach (var (partition, high) in beforeRetention.Where(w => w.Value > stored[w.Key]))
        {
            Assert.Contains($"gap in {topic}[{partition}]: offsets [{stored[partition]}, {high - 1}] were never read ({high - stored[partition]} records lost; log-start-passed)", log.Text, StringComparison.Ordinal);
        }

        // The signal topic is shared by the tests of this class: this test's signal is the one naming its table.
        var table = "public." + topic.Split('.')[^1];
        Assert.Contains(("shop", "{\"type\":\"execute-snapshot\",\"data\":{\"data-collections\":[\"" + table + "\"],\"type\":\"INCREMENTAL\"}}"), ReadSignals("shop-signal"));
    }

    [Fact]
    public async Task TopicRecreatedWhileSinkDown_NewIncarnationReadFromItsStartAndOffsetsFollowIt()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        var topic = options.Kafka.Topics[0];
        for (var id = 1; id <= 60; id++)
        {
            model.Upsert(id, "new");
        }

        model.Flush();
        await using (var first = await SinkRunner.StartAsync(options))
        {
            await bed.UntilInSyncAsync(Timeout);
            await Wait.UntilAsync(() => Task.FromResult(first.Sink.Worker.RecordsApplied == 60), Timeout, "the first worker to store its offsets");
        }

        // Kafka restarted without its data: the topic comes back empty, a new incarnation, and passes the old offsets.
        kafka.Cluster.DeleteTopic(topic);
        kafka.Cluster.CreateTopic(topic, 4);
        for (var id = 201; id <= 400; id++)
        {
            model.Upsert(id, "after the restart");
        }

        model.Flush();
        var log = new LogRecorder();
        await using var second = await SinkRunner.StartAsync(options, log);
        await Wait.UntilAsync(async () => (await store.RowsAsync("SELECT count(*) FROM public.orders WHERE id > 200"))[0] == "200", Timeout, "every record of the new incarnation to be applied");

        var high = Watermarks(topic);
        Assert.Equal(
            high.OrderBy(h => h.Key).Select(h => $"{h.Key}|{h.Value}").ToList(),
            await store.RowsAsync($"SELECT partition, next_offset FROM cdc.offsets WHERE consumer_group = '{options.Kafka.GroupId}' ORDER BY 1"));
        Assert.Equal(
            ["4|topic-recreated"],
            await store.RowsAsync($"SELECT count(*), min(reason) FROM cdc.heals WHERE consumer_group = '{options.Kafka.GroupId}'"));
        Assert.Contains($"gap in {topic}[0]:", log.Text, StringComparison.Ordinal);
        Assert.Contains("records lost; topic-recreated", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicRecreatedWhileSinkRuns_OffsetsFollowTheNewIncarnation()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        var topic = options.Kafka.Topics[0];
        var (running, log) = await RunningAsync(bed, 200);
        await using var _ = running;

        // Kafka restarted under a running sink: the topic comes back empty and stays below the old offsets.
        kafka.Cluster.DeleteTopic(topic);
        kafka.Cluster.CreateTopic(topic, 4);
        for (var id = 201; id <= 212; id++)
        {
            model.Upsert(id, "after the restart");
        }

        model.Flush();
        await Wait.UntilAsync(async () => (await store.RowsAsync("SELECT count(*) FROM public.orders WHERE id > 200"))[0] == "12", Timeout, "the new incarnation's records to be applied");
        var high = Watermarks(topic);
        await Wait.UntilAsync(
            async () => (await store.RowsAsync($"SELECT partition, next_offset FROM cdc.offsets WHERE consumer_group = '{options.Kafka.GroupId}' ORDER BY 1"))
                .SequenceEqual(high.OrderBy(h => h.Key).Select(h => $"{h.Key}|{h.Value}")),
            Timeout,
            "the stored offsets to follow the new incarnation");
        Assert.Contains($"gap in {topic}[", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicRecreatedUnderRunningSinkAndGrownPastItsOffsets_FoundAndReadFromItsStart()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        var topic = options.Kafka.Topics[0];
        var (running, log) = await RunningAsync(bed, 100);
        await using var _ = running;
        var old = Watermarks(topic);

        // Kafka restarted under the running sink, which does not fetch meanwhile (every fetch fails): the topic comes
        // back and passes the old offsets before the sink fetches again, so no offset goes back and none is out of range.
        kafka.Cluster.PushRequestErrors(KafkaApiKey.Fetch, [.. Enumerable.Repeat(ErrorCode.RequestTimedOut, 100_000)]);
        try
        {
            kafka.Cluster.DeleteTopic(topic);
            kafka.Cluster.CreateTopic(topic, 4);
            for (var id = 201; id <= 600; id++)
            {
                model.Upsert(id, "after the restart");
            }

            model.Flush();
            Assert.All(Watermarks(topic), w => Assert.True(w.Value > old[w.Key], $"partition {w.Key}: {w.Value} records, the old incarnation had {old[w.Key]}"));
        }
        finally
        {
            kafka.Cluster.ClearRequestErrors(KafkaApiKey.Fetch);
        }

        await Wait.UntilAsync(async () => (await store.RowsAsync("SELECT count(*) FROM public.orders WHERE id > 200"))[0] == "400", Timeout, "every record of the new incarnation to be applied, those below the old offsets too");
        Assert.Equal(
            ["4|topic-recreated"],
            await store.RowsAsync($"SELECT count(*), min(reason) FROM cdc.heals WHERE consumer_group = '{options.Kafka.GroupId}'"));
        var gaps = log.Text.Split('\n').Where(l => l.Contains($"gap in {topic}[", StringComparison.Ordinal)).ToList();
        Assert.All(old.Keys, p => Assert.Contains(gaps, l => l.Contains($"gap in {topic}[{p}]: offsets [", StringComparison.Ordinal) && l.EndsWith("(unknown records lost; topic-recreated); heal requested for table public." + topic.Split('.')[^1], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GapFoundAgainAfterItWasHealed_IsOpenedAgainNotDropped()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var heals = new Cdc.Store.Bookkeeping.HealRequests(bed.Store.Metadata);
        var gap = new Cdc.Store.Bookkeeping.StreamGap(bed.Options.Kafka.Topics[0], 0, "id-1", 10, null, Cdc.Store.Bookkeeping.StreamGap.TopicRecreated);
        Assert.True(heals.Record(bed.Store.Store, "g", gap));
        Assert.False(heals.Record(bed.Store.Store, "g", gap));
        await bed.Store.ExecuteAsync("UPDATE cdc.heals SET state = 'healed', healed_at = now()");

        Assert.True(heals.Record(bed.Store.Store, "g", gap));
        Assert.Equal(["requested|1"], await bed.Store.RowsAsync("SELECT min(state), count(*) FROM cdc.heals"));
    }

    /// <summary>A sink running on the bed's topic, orders 1 to <paramref name="orders"/> applied.</summary>
    private static async Task<(SinkRunner Running, LogRecorder Log)> RunningAsync(SinkTestBed bed, int orders)
    {
        for (var id = 1; id <= orders; id++)
        {
            bed.Model.Upsert(id, "new");
        }

        bed.Model.Flush();
        var log = new LogRecorder();
        var running = await SinkRunner.StartAsync(bed.Options, log);
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(running.Sink.Worker.RecordsApplied == orders), Timeout, "the old incarnation to be applied");
            return (running, log);
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    private Dictionary<int, long> Watermarks(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(kafka.ConsumerConfig()).Build();
        return Enumerable.Range(0, 4).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    private List<(string Key, string Value)> ReadSignals(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(kafka.ConsumerConfig()).Build();
        var end = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), Timeout).High.Value;
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var signals = new List<(string Key, string Value)>();
        while (signals.Count < end)
        {
            var result = consumer.Consume(Timeout) ?? throw new InvalidOperationException($"no signal on {topic}");
            signals.Add((Encoding.UTF8.GetString(result.Message.Key), Encoding.UTF8.GetString(result.Message.Value)));
        }

        return signals;
    }
}
