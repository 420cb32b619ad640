using Cdc.Sink.Tests.Support;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Worker;

/// <summary>
/// A rebalance and a stop while a worker works through a backlog: the batch in flight commits its offsets with its
/// rows before its partitions go, and what was read but not applied is read again from those offsets, by this worker or
/// the next owner. Nothing lost, nothing applied twice; the hazard any reading ahead of the apply must keep (issue 17).
/// </summary>
public sealed class RebalanceUnderBacklogTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private const int EventsPerWave = 12_000;
    private const int Keys = 3_000;

    [Fact]
    public async Task Run_RebalancedAndStoppedWhileBusy_AppliesEveryRecordOnce()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        Wave(model, "new");
        await using var first = await SinkRunner.StartAsync(options);
        await Wait.UntilAsync(() => Task.FromResult(first.Sink.Worker.RecordsApplied > 0), Timeout, "the first worker to apply a batch");

        // Joins while the first worker works through the backlog: every partition is revoked from it (eager rebalance).
        // The next wave is written once the second holds partitions: written before, the first could apply all of it
        // before it serves the revoke, and leave the second nothing to apply.
        await using var second = await SinkRunner.StartAsync(options);
        string State() =>
            $"produced {model.Produced}; first applied {first.Sink.Worker.RecordsApplied} and holds {first.Sink.Worker.AssignedPartitions} partitions, "
            + $"second applied {second.Sink.Worker.RecordsApplied} and holds {second.Sink.Worker.AssignedPartitions}";
        await Wait.UntilAsync(() => Task.FromResult(second.Sink.Worker.AssignedPartitions > 0), Timeout, "the second worker to take partitions", State);
        Wave(model, "paid");
        await Wait.UntilAsync(() => Task.FromResult(second.Sink.Worker.RecordsApplied > 0), Timeout, "the second worker to apply a batch", State);

        // Stops while busy: it drains its batch in flight and leaves, and the second worker takes over.
        Wave(model, "shipped");
        await first.StopAsync();
        await bed.UntilInSyncAsync(Timeout);
        await Wait.UntilAsync(
            () => Task.FromResult(first.Sink.Worker.RecordsApplied + second.Sink.Worker.RecordsApplied >= model.Produced),
            Timeout,
            "the workers to count every record they applied",
            State);

        Assert.Equal(model.Produced, first.Sink.Worker.RecordsApplied + second.Sink.Worker.RecordsApplied);
        Assert.Equal(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
        Assert.Equal(
            [model.Produced.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            await store.RowsAsync($"SELECT sum(next_offset) FROM cdc.offsets WHERE consumer_group = '{options.Kafka.GroupId}'"));
    }

    private static void Wave(OrdersModel model, string status)
    {
        for (var i = 0; i < EventsPerWave; i++)
        {
            model.Upsert(1 + (i % Keys), status, i);
        }

        model.Flush();
    }
}
