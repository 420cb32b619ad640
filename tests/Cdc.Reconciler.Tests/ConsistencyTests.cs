using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Reconciler.Tests;

public sealed class ConsistencyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_source_slot_behind_the_check_start_is_reported_as_lag_not_drift()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 100);
        await using var slot = await TestSlot.CreateAsync(bed);
        await bed.OnPrimaryAsync("UPDATE items SET note = 'not streamed yet' WHERE id = 1");
        var options = bed.Options("public.items");
        options.Slot = slot.Name;
        options.Wait = TimeSpan.FromMilliseconds(500);

        var result = await ReconcileJob.RunAsync(options, TextWriter.Null);

        Assert.True(result.Lagging);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(RunState.Failed, result.State);
        Assert.StartsWith("lagging by ", result.Consistency!.Detail, StringComparison.Ordinal);
        Assert.Empty(result.Tables);
    }

    [Fact]
    public async Task With_kafka_the_store_must_reach_the_high_watermarks_and_is_lagging_until_then()
    {
        using var kafka = new KafkaFixture();
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 100);
        await using var slot = await TestSlot.CreateAsync(bed);
        var topic = kafka.CreateUniqueTopic("cdc.public.items", partitions: 2);
        using (var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, i % 2), new Message<string, string> { Key = $"{i}", Value = "{}" });
            }
        }

        await bed.OnStoreAsync("INSERT INTO cdc.offsets (consumer_group, topic, partition, next_offset) VALUES ('cdc-sink', $1, 0, 5), ('cdc-sink', $1, 1, 3)", topic);
        var options = bed.Options("public.items");
        options.Slot = slot.Name;
        options.BootstrapServers = kafka.BootstrapServers;
        options.Wait = TimeSpan.FromMilliseconds(800);
        using var advancing = new CancellationTokenSource();
        var advance = slot.KeepConfirmingAsync(advancing.Token);

        var lagging = await ReconcileJob.RunAsync(options, TextWriter.Null);
        await bed.OnStoreAsync("UPDATE cdc.offsets SET next_offset = 5 WHERE topic = $1", topic);
        options.Wait = TimeSpan.FromSeconds(20);
        var caughtUp = await ReconcileJob.RunAsync(options, TextWriter.Null);
        await advancing.CancelAsync();
        await advance;

        Assert.True(lagging.Lagging);
        Assert.Equal("lagging by 2 messages: the store has not applied the sink's topics up to their high watermarks", lagging.Consistency!.Detail);
        Assert.False(caughtUp.Lagging, caughtUp.Consistency?.Detail);
        Assert.Equal(0, caughtUp.ExitCode);
    }

    [Fact]
    public async Task With_kafka_but_no_stored_offsets_and_no_configured_topics_the_wait_refuses_rather_than_passes()
    {
        using var kafka = new KafkaFixture();
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 10);
        await using var slot = await TestSlot.CreateAsync(bed);
        var options = bed.Options("public.items");
        options.Slot = slot.Name;
        options.BootstrapServers = kafka.BootstrapServers;
        options.Wait = TimeSpan.FromSeconds(5);
        using var advancing = new CancellationTokenSource();
        var advance = slot.KeepConfirmingAsync(advancing.Token);

        var result = await ReconcileJob.RunAsync(options, TextWriter.Null);
        await advancing.CancelAsync();
        await advance;

        Assert.True(result.Lagging, result.Consistency?.Detail);
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("not known to be caught up: the store holds no offsets of consumer group", result.Consistency!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_concurrent_writer_with_a_delayed_pipeline_gives_no_false_drift_and_no_repair()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 20_000);
        await using var pipeline = new DelayedPipeline(bed, TimeSpan.FromMilliseconds(150));
        using var stop = new CancellationTokenSource();
        var writer = pipeline.WriteAsync(stop.Token);
        await pipeline.UntilWrittenAsync(50);
        var options = bed.Options("public.items");
        options.Repair = RepairMode.Direct;
        options.Grace = TimeSpan.FromSeconds(1);
        options.ChunkTarget = TimeSpan.FromMilliseconds(20);

        var result = await ReconcileJob.RunAsync(options, TextWriter.Null);
        await stop.CancelAsync();
        await writer;
        await pipeline.DrainAsync();

        Assert.True(pipeline.Written > 50);
        Assert.Empty(result.Tables.Single().Findings);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, (await ReconcileJob.RunAsync(bed.Options("public.items"), TextWriter.Null)).ExitCode);
    }

    [Fact]
    public async Task A_row_changed_again_within_the_pipeline_latency_is_no_drift_but_a_drifted_row_still_is()
    {
        // Row 1 changes every few milliseconds and each change reaches the store 400 ms later: it differs whenever both
        // sides are read at one instant, at the first pass and at the recheck alike, yet it is only ever in flight.
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 100);
        await bed.OnStoreAsync("UPDATE items SET name = 'drifted' WHERE id = 50");
        await using var pipeline = new DelayedPipeline(bed, TimeSpan.FromMilliseconds(400), rows: 1);
        using var stop = new CancellationTokenSource();
        var writer = pipeline.WriteAsync(stop.Token);
        await pipeline.UntilWrittenAsync(20);

        var result = await ReconcileJob.RunAsync(bed.Options("public.items"), TextWriter.Null);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(["divergent 50 columns name"], result.Tables.Single().Findings.Select(f => f.Display));
    }

    [Fact]
    public async Task The_check_pauses_while_the_pipeline_lags_more_than_the_limit_and_goes_on_when_it_caught_up()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 1_000);
        await bed.OnStoreAsync("INSERT INTO cdc.offsets (consumer_group, topic, partition, next_offset, commit_lsn) VALUES ('cdc-sink', 'cdc.public.items', 0, 10, 0)");
        var options = bed.Options("public.items");
        options.MaxLagBytes = 1;
        var log = new LineCapture();
        using var abandon = new CancellationTokenSource();

        var run = new ReconcileJob(options, log).RunAsync(abandon.Token);
        try
        {
            string line;
            do
            {
                line = await log.ReadLineAsync(TimeSpan.FromMinutes(2));
            }
            while (!line.Contains("pausing", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            await abandon.CancelAsync();
            throw;
        }

        Assert.False(run.IsCompleted);
        // Far ahead of any WAL the shared server can write meanwhile: the pipeline has caught up.
        await bed.OnStoreAsync("UPDATE cdc.offsets SET commit_lsn = 4611686018427387904");
        var result = await run;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1_000, result.RowsCompared);
    }
}
