using System.Text;
using Cdc.Sink.Tests.Support;
using Cdc.Sink.Worker;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Worker;

/// <summary>The worker end to end: real mock Kafka over TCP, real PostgreSQL.</summary>
public sealed class SinkWorkerTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_EveryOp_StoreEqualsPrimary()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        for (var id = 1; id <= 200; id++)
        {
            model.Upsert(id, "new", id);
        }

        for (var id = 1; id <= 200; id += 2)
        {
            model.Upsert(id, "paid", id * 2);
        }

        for (var id = 1; id <= 200; id += 5)
        {
            model.Delete(id);
        }

        model.Flush();

        await using var sink = await SinkRunner.StartAsync(options);
        await bed.UntilInSyncAsync(Timeout);

        Assert.Equal(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
    }

    [Fact]
    public async Task Run_Restarted_ResumesFromOffsetsStoredWithTheRows()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        for (var id = 1; id <= 100; id++)
        {
            model.Upsert(id, "new");
        }

        model.Flush();
        await using (var first = await SinkRunner.StartAsync(options))
        {
            await bed.UntilInSyncAsync(Timeout);
            await Wait.UntilAsync(() => Task.FromResult(first.Sink.Worker.RecordsApplied == 100), Timeout, "the first worker to count its records");
        }

        var before = model.Produced;
        for (var id = 50; id <= 120; id++)
        {
            model.Upsert(id, "shipped");
        }

        model.Flush();
        await using var second = await SinkRunner.StartAsync(options);
        await bed.UntilInSyncAsync(Timeout);
        await Wait.UntilAsync(() => Task.FromResult(second.Sink.Worker.RecordsApplied >= model.Produced - before), Timeout, "the second worker to count its records");

        Assert.Equal(model.Produced - before, second.Sink.Worker.RecordsApplied);
        Assert.Equal([model.Produced.ToString(System.Globalization.CultureInfo.InvariantCulture)], await store.RowsAsync($"SELECT sum(next_offset) FROM cdc.offsets WHERE consumer_group = '{options.Kafka.GroupId}'"));
    }

    [Fact]
    public async Task Run_ReplayFromEarlierOffset_LeavesStoreUnchanged()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        for (var id = 1; id <= 50; id++)
        {
            model.Upsert(id, "new");
            model.Upsert(id, "paid");
        }

        for (var id = 1; id <= 10; id++)
        {
            model.Delete(id);
        }

        model.Flush();
        const string everything = "SELECT id, status, qty, _cdc_commit_lsn, _cdc_event_lsn FROM public.orders ORDER BY id";
        await using (var first = await SinkRunner.StartAsync(options))
        {
            await bed.UntilInSyncAsync(Timeout);
        }

        var applied = await store.RowsAsync(everything);
        await store.ExecuteAsync("DELETE FROM cdc.offsets");
        await using var replay = await SinkRunner.StartAsync(options);
        await Wait.UntilAsync(() => Task.FromResult(replay.Sink.Worker.RecordsApplied == model.Produced), Timeout, "the replay to read every record again");

        Assert.Equal(applied, await store.RowsAsync(everything));
    }

    [Fact]
    public async Task Run_PoisonRecords_AreDeadLetteredWithHeadersAndNeighboursApplied()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        model.Upsert(1, "new");
        model.Send(DebeziumText.Key(2), Encoding.UTF8.GetBytes("{ this is not json"));
        model.Send(DebeziumText.Key(3), DebeziumText.Change('c', 3, 900, "a status far longer than twenty characters"));
        model.Upsert(4, "new");
        model.Flush();
        var labelled = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = DeadLetterStages(options.Kafka.Topics[0], labelled);

        await using var sink = await SinkRunner.StartAsync(options);
        await bed.UntilInSyncAsync(Timeout);
        var deadLetters = ReadAll(options.DeadLetterTopic, expected: 2);

        Assert.Equal(["1|new|1", "4|new|1"], await store.RowsAsync(OrdersModel.SelectRows));
        Assert.Equal(["VALUE_CONVERTER", "TASK_PUT"], deadLetters.Select(m => Header(m, "stage")));
        // One spelling: the metric's stage label is the header's.
        Assert.Equal(["TASK_PUT", "VALUE_CONVERTER"], labelled.Order(StringComparer.Ordinal));
        Assert.Equal(["1", "2"], deadLetters.Select(m => Header(m, "offset")));
        Assert.All(deadLetters, m => Assert.Equal(options.Kafka.Topics[0], Header(m, "topic")));
        Assert.Contains("22001", Header(deadLetters[1], "exception.message"), StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes("{ this is not json"), deadLetters[0].Value);
        await Wait.UntilAsync(
            async () => (await store.RowsAsync("SELECT next_offset FROM cdc.offsets")).SequenceEqual(["4"]),
            Timeout,
            "the offsets to pass the poison");
    }

    [Fact]
    public async Task Run_TwoWorkersInOneProcess_EachServesOnlyItsOwnMetrics()
    {
        await using var busy = await SinkTestBed.CreateAsync(postgres, kafka);
        await using var idle = await SinkTestBed.CreateAsync(postgres, kafka);
        busy.Options.MetricsPort = FreeTcpPort.Next();
        idle.Options.MetricsPort = FreeTcpPort.Next();
        for (var id = 1; id <= 25; id++)
        {
            busy.Model.Upsert(id, "new");
        }

        busy.Model.Flush();
        await using var busySink = await SinkRunner.StartAsync(busy.Options);
        await using var idleSink = await SinkRunner.StartAsync(idle.Options);
        await busy.UntilInSyncAsync(Timeout);
        using var http = new HttpClient();

        var busyMetrics = await http.GetStringAsync(new Uri(busySink.Sink.Server.BaseAddress!, "/metrics"));
        var idleMetrics = await http.GetStringAsync(new Uri(idleSink.Sink.Server.BaseAddress!, "/metrics"));

        Assert.Contains("cdc_sink_events_applied_total{op=\"c\",table=\"public.orders\"} 25", busyMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("cdc_sink_events_applied_total{", idleMetrics, StringComparison.Ordinal);
    }

    /// <summary>The <c>stage</c> label of every <c>cdc_sink_dead_letters</c> increment for <paramref name="topic"/>.</summary>
    private static System.Diagnostics.Metrics.MeterListener DeadLetterStages(string topic, System.Collections.Concurrent.ConcurrentQueue<string> stages)
    {
        var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SinkMetrics.MeterName && instrument.Name == "cdc_sink_dead_letters")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (values.GetValueOrDefault("topic") == topic)
            {
                stages.Enqueue(values.GetValueOrDefault("stage") ?? "");
            }
        });
        listener.Start();
        return listener;
    }

    private List<Message<byte[]?, byte[]?>> ReadAll(string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        consumer.Subscribe(topic);
        var messages = new List<Message<byte[]?, byte[]?>>();
        var deadline = TimeProvider.System.GetUtcNow() + Timeout;
        while (messages.Count < expected && TimeProvider.System.GetUtcNow() < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                messages.Add(result.Message);
            }
        }

        consumer.Close();
        return [.. messages.OrderBy(m => long.Parse(Header(m, "offset"), System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static string Header(Message<byte[]?, byte[]?> message, string name) =>
        Encoding.UTF8.GetString(message.Headers.GetLastBytes(DeadLetterPublisher.HeaderPrefix + name));
}
