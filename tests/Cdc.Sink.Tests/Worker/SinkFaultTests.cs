using System.Diagnostics;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Sink.Tests.Worker;

/// <summary>Faults caused for real: the store's server restarted, the worker process killed with SIGKILL.</summary>
[Collection(FaultCollection.Name)]
public sealed class SinkFaultTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static void Write(OrdersModel model, int round, int keys)
    {
        for (var id = 1; id <= keys; id++)
        {
            if ((id + round) % 11 == 0)
            {
                model.Delete(id);
            }
            else
            {
                model.Upsert(id, $"r{round}", round * id);
            }
        }

        model.Flush();
    }

    [Fact]
    public async Task Run_PostgresRestartedDuringConsumption_LosesNothing()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 8);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        await using var sink = await SinkRunner.StartAsync(options);

        for (var round = 1; round <= 20; round++)
        {
            Write(model, round, keys: 300);
            if (round == 6)
            {
                await RunScriptAsync("scripts/postgres.sh", "restart");
            }

            await Task.Delay(50);
        }

        await bed.UntilInSyncAsync(Timeout, "the store to equal the primary after the restart");
        Assert.Equal(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
    }

    [Fact]
    public async Task Run_StoreDown_PausesAndTurnsUnreadyThenResumesByItself()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 8);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        options.MetricsPort = FreeTcpPort.Next();
        await using var sink = await SinkRunner.StartAsync(options);
        using var http = new HttpClient { BaseAddress = sink.Sink.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        Write(model, round: 1, keys: 200);
        await bed.UntilInSyncAsync(Timeout, "the first round");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        try
        {
            await RunScriptAsync("scripts/postgres.sh", "stop");
            Write(model, round: 2, keys: 200);
            await Wait.UntilAsync(
                async () => (await http.GetAsync("/readyz")).StatusCode == System.Net.HttpStatusCode.ServiceUnavailable,
                Timeout,
                "/readyz to report the store outage");
            Assert.Contains("store unavailable", await http.GetStringAsync("/healthz") + await (await http.GetAsync("/readyz")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await RunScriptAsync("scripts/postgres.sh", "start");
        }

        await bed.UntilInSyncAsync(Timeout, "the store to catch up after the outage");
        await Wait.UntilAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, Timeout, "/readyz to recover");
        var exposition = await http.GetStringAsync("/metrics");
        Assert.Contains("cdc_sink_retries_total", exposition, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_events_applied_total{", exposition, StringComparison.Ordinal);
        await AssertPromtoolAcceptsAsync(exposition);
    }

    [Fact]
    public async Task Run_WorkerKilledMidBatch_RestartedEndsWithExactlyTheExpectedRows()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 8);
        var (options, store, model) = (bed.Options, bed.Store, bed.Model);
        // Slow every row down so that a kill lands inside a batch's transaction.
        await store.ExecuteAsync("""
            CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0005); RETURN NEW; END $$;
            CREATE TRIGGER slow BEFORE INSERT OR UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION slow();
            """);
        for (var round = 1; round <= 10; round++)
        {
            Write(model, round, keys: 1000);
        }

        using (var first = WorkerProcess.Start(options))
        {
            await Wait.UntilAsync(
                async () => (await store.RowsAsync("SELECT count(*) FROM cdc.offsets")).Single() != "0",
                Timeout,
                "the first batches to commit");
            await first.KillAsync();
        }

        Assert.NotEqual(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
        using var second = WorkerProcess.Start(options);
        await bed.UntilInSyncAsync(Timeout, "the restarted worker to catch up");

        Assert.Equal(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
    }

    [Fact]
    public async Task Run_Sigterm_FinishesTheBatchCommitsAndExitsZero()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 8);
        Write(bed.Model, round: 1, keys: 500);
        using var worker = WorkerProcess.Start(bed.Options);
        await bed.UntilInSyncAsync(Timeout);
        Write(bed.Model, round: 2, keys: 500);

        worker.Terminate();

        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the worker did not stop after SIGTERM:\n" + worker.Output);
        Assert.Equal(0, worker.ExitCode);
        Assert.Contains("leaving the group", worker.Output, StringComparison.Ordinal);
        using var resumed = WorkerProcess.Start(bed.Options);
        await bed.UntilInSyncAsync(Timeout, "a new worker to finish what the stopped one left");
    }

    private static async Task AssertPromtoolAcceptsAsync(string exposition)
    {
        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);
        Assert.True(exitCode == 0, $"promtool check metrics rejected the sink's exposition: {output}");
    }

    private static Task RunScriptAsync(string script, string argument) => RepositoryScript.RunAsync(script, argument);
}
