using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Bugs;

/// <summary>
/// Issue 12, items 5 and 9 and scale-out, with the product's defaults (no consumer setting overridden): a topic created
/// after the sink started reaches the store in seconds, not at librdkafka's 5-minute metadata refresh; a killed sink's
/// partitions move on before librdkafka's 45-second default session would have let them; and several instances of one
/// group, added and killed under load, leave the store exact.
/// </summary>
public sealed class Issue12GroupTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task A_topic_created_after_start_reaches_a_pattern_subscribed_sink_in_seconds()
    {
        var prefix = $"late{Guid.NewGuid():N}"[..16];
        var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await using var _ = store;
        await store.ExecuteAsync(OrdersModel.CreateTable);
        var options = TestSinkOptions.For(store.ConnectionString, kafka, "unused");
        options.Kafka.Topics = [];
        options.Kafka.TopicPattern = $"{prefix}\\.public\\..*";
        await using var sink = await SinkRunner.StartAsync(options);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var topic = kafka.CreateTopic($"{prefix}.public.orders", 2);
        using var model = new OrdersModel(kafka, topic);
        for (var id = 1; id <= 20; id++)
        {
            model.Upsert(id, "new");
        }

        model.Flush();

        // Well inside librdkafka's own 5-minute refresh: only the sink's default makes this pass.
        await Wait.UntilAsync(
            async () => (await RowsOrEmptyAsync(store, "SELECT count(*) FROM public.orders")).SequenceEqual(["20"]),
            TimeSpan.FromSeconds(30),
            "the new topic's rows in the store");
    }

    [Fact]
    public async Task A_killed_sink_restarted_at_once_resumes_before_a_45_second_session_would_expire()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        for (var id = 1; id <= 100; id++)
        {
            bed.Model.Upsert(id, "new");
        }

        bed.Model.Flush();
        using (var first = WorkerProcess.Start(bed.Options))
        {
            await bed.UntilInSyncAsync(TimeSpan.FromSeconds(60));
            await first.KillAsync();
        }

        using var second = WorkerProcess.Start(bed.Options);
        for (var id = 1; id <= 100; id++)
        {
            bed.Model.Upsert(id, "after the restart");
        }

        bed.Model.Flush();
        await bed.UntilInSyncAsync(TimeSpan.FromSeconds(30), "the restarted sink to resume within 30 s");
    }

    /// <summary>
    /// A restarted instance joins its group as the first thing it does, not after migrating the store's bookkeeping,
    /// starting its metrics endpoint and its background loops: the coordinator's wait for the member it replaces (the
    /// session timeout less a second on the mock cluster, a rebalance on Kafka) runs during the rest of its start-up.
    /// </summary>
    [Fact]
    public async Task A_starting_sink_is_a_member_of_its_group_before_it_polls()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        var log = new LogRecorder();
        var sink = await SinkHost.StartAsync(bed.Options, log, TimeProvider.System, CancellationToken.None);

        // Nothing runs the worker: only a join started by the start-up itself gives it a member id.
        await Wait.UntilAsync(() => Task.FromResult(sink.Worker.GroupMemberId is not null), TimeSpan.FromSeconds(20), "the starting worker to have joined its group");

        // Disposed before it polled, usually with its assignment waiting to be served: it leaves the group (librdkafka's
        // close alone could wait forever in the assign call it made for that assignment; this test hung CI for 20 minutes).
        await Wait.ForAsync(sink.DisposeAsync().AsTask(), TimeSpan.FromSeconds(60), "the sink disposed before it ran to leave its group");
        Assert.DoesNotContain("did not finish", log.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// ... but not while its start-up waits for a store that does not answer: a member that does not poll would hold up
    /// the rebalance the next instance's join starts, and keep the partitions it was given unread, until librdkafka's
    /// 5-minute poll interval ran out.
    /// </summary>
    [Fact]
    public async Task A_starting_sink_waiting_for_its_store_leaves_the_group_to_the_instances_that_poll()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 2);
        bed.Options.Store = $"Host=127.0.0.1;Port={FreeTcpPort.Next()};Username=cdc;Password=cdc;Database=postgres";
        var log = new LogRecorder();
        using var stop = new CancellationTokenSource();
        var starting = SinkHost.StartAsync(bed.Options, log, TimeProvider.System, stop.Token);
        await Wait.UntilAsync(() => Task.FromResult(log.Text.Contains("waiting for the store", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the starting sink to wait for its store");

        // Another instance joins: its assignment must not wait for the starting one, which the mock coordinator waits
        // for up to the session timeout less a second (5 s) when it does not rejoin, as Kafka does for max.poll.interval.ms.
        using var polling = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig(bed.Options.Kafka.GroupId)).Build();
        polling.Subscribe(bed.Options.Kafka.Topics);
        await Wait.UntilAsync(
            () => Task.FromResult(polling.Consume(TimeSpan.FromMilliseconds(100)) is null && polling.Assignment.Count > 0),
            TimeSpan.FromSeconds(5),
            "the polling instance's assignment, without waiting for the starting one");

        Assert.Equal(2, polling.Assignment.Count);
        Assert.Contains($"left group {bed.Options.Kafka.GroupId} while the start-up waits for the store", log.Text, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting.WaitAsync(TimeSpan.FromSeconds(30)));
        polling.Close();
    }

    [Fact]
    public async Task Instances_added_and_killed_in_one_group_under_load_leave_the_store_exact()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 8);
        using var stop = new CancellationTokenSource();
        var model = bed.Model;
        var load = Task.Run(async () =>
        {
            var random = new Random(12);
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 50; i++)
                {
                    var id = random.Next(1, 2_000);
                    if (random.Next(10) == 0)
                    {
                        model.Delete(id);
                    }
                    else
                    {
                        model.Upsert(id, $"s{random.Next(100)}", random.Next(1000));
                    }
                }

                model.Flush();
                await Task.Delay(20);
            }
        });

        var instances = new List<CliProcess> { WorkerProcess.Start(bed.Options) };
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            instances.Add(WorkerProcess.Start(bed.Options));
            await Task.Delay(TimeSpan.FromSeconds(4));
            instances.Add(WorkerProcess.Start(bed.Options));
            await Task.Delay(TimeSpan.FromSeconds(4));
            await instances[0].KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            instances.Add(WorkerProcess.Start(bed.Options));
            await Task.Delay(TimeSpan.FromSeconds(3));
            instances[1].Terminate();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await stop.CancelAsync();
            await load;

            await bed.UntilInSyncAsync(TimeSpan.FromSeconds(90), "the remaining instances to converge the store");
        }
        finally
        {
            foreach (var instance in instances)
            {
                instance.Dispose();
            }
        }

        Assert.Equal(model.ExpectedRows, await bed.Store.RowsAsync(OrdersModel.SelectRows));
    }

    private static async Task<List<string>> RowsOrEmptyAsync(StoreHarness store, string sql)
    {
        try
        {
            return await store.RowsAsync(sql);
        }
        catch (Npgsql.PostgresException)
        {
            return [];
        }
    }
}
