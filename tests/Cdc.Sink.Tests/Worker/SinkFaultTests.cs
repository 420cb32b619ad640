using System.Diagnostics;
using Cdc.Sink.Configuration;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Worker;

/// <summary>Faults caused for real: the store's server restarted, the worker process killed with SIGKILL.</summary>
[Collection(FaultCollection.Name)]
public sealed class SinkFaultTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private async Task<(SinkOptions Options, StoreHarness Store, OrdersModel Model)> SetUpAsync()
    {
        var topic = kafka.CreateUniqueTopic("shop.public.orders", 8);
        var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ExecuteAsync(OrdersModel.CreateTable);
        var options = new SinkOptions
        {
            Store = store.ConnectionString,
            Kafka = { BootstrapServers = kafka.BootstrapServers, GroupId = KafkaFixture.UniqueName("sink"), Topics = [topic] },
            Resilience = { BreakDuration = TimeSpan.FromMilliseconds(500), RetryBaseDelay = TimeSpan.FromMilliseconds(100) },
        };
        return (options, store, new OrdersModel(kafka, topic));
    }

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
        var (options, store, model) = await SetUpAsync();
        await using var _ = store;
        using var __ = model;
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

        await Wait.UntilAsync(async () => (await RowsOrEmptyAsync(store)).SequenceEqual(model.ExpectedRows), Timeout, "the store to equal the primary after the restart");
        Assert.Equal(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
    }

    [Fact]
    public async Task Run_StoreDown_PausesAndTurnsUnreadyThenResumesByItself()
    {
        var (options, store, model) = await SetUpAsync();
        await using var _ = store;
        using var __ = model;
        options.MetricsPort = FreeTcpPort.Next();
        await using var sink = await SinkRunner.StartAsync(options);
        using var http = new HttpClient { BaseAddress = sink.Sink.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        Write(model, round: 1, keys: 200);
        await Wait.UntilAsync(async () => (await RowsOrEmptyAsync(store)).SequenceEqual(model.ExpectedRows), Timeout, "the first round");
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

        await Wait.UntilAsync(async () => (await RowsOrEmptyAsync(store)).SequenceEqual(model.ExpectedRows), Timeout, "the store to catch up after the outage");
        await Wait.UntilAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, Timeout, "/readyz to recover");
        var exposition = await http.GetStringAsync("/metrics");
        Assert.Contains("cdc_sink_retries_total", exposition, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_events_applied_total{", exposition, StringComparison.Ordinal);
        await AssertPromtoolAcceptsAsync(exposition);
    }

    [Fact]
    public async Task Run_WorkerKilledMidBatch_RestartedEndsWithExactlyTheExpectedRows()
    {
        var (options, store, model) = await SetUpAsync();
        await using var _ = store;
        using var __ = model;
        // Slow every row down so that a kill lands inside a batch's transaction.
        await store.ExecuteAsync("""
            CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0005); RETURN NEW; END $$;
            CREATE TRIGGER slow BEFORE INSERT OR UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION slow();
            """);
        for (var round = 1; round <= 10; round++)
        {
            Write(model, round, keys: 1000);
        }

        using (var first = StartWorkerProcess(options))
        {
            await Wait.UntilAsync(
                async () => (await store.RowsAsync("SELECT count(*) FROM cdc.offsets")).Single() != "0",
                Timeout,
                "the first batches to commit");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        Assert.NotEqual(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
        using var second = StartWorkerProcess(options);
        try
        {
            await Wait.UntilAsync(async () => (await store.RowsAsync(OrdersModel.SelectRows)).SequenceEqual(model.ExpectedRows), Timeout, "the restarted worker to catch up");
        }
        finally
        {
            second.Kill(entireProcessTree: true);
        }

        Assert.Equal(model.ExpectedRows, await store.RowsAsync(OrdersModel.SelectRows));
    }

    private static async Task AssertPromtoolAcceptsAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool is not installed: run ./cdc test, which installs it");
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"promtool check metrics rejected the sink's exposition: {output}");
    }

    private static async Task<List<string>> RowsOrEmptyAsync(StoreHarness store)
    {
        try
        {
            return await store.RowsAsync(OrdersModel.SelectRows);
        }
        catch (Npgsql.NpgsqlException)
        {
            return [];
        }
    }

    private static Process StartWorkerProcess(SinkOptions options)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            RepositoryPaths.CliDll, "sink",
            "--bootstrap-servers", options.Kafka.BootstrapServers!,
            "--group", options.Kafka.GroupId,
            "--topics", string.Join(',', options.Kafka.Topics),
            "--store", options.Store!,
            "--batch-size", "2000",
        })
        {
            start.ArgumentList.Add(arg);
        }

        // A killed member holds its partitions until its session expires: keep that short (and configure it the way
        // an operator would, through the environment).
        start.Environment["CDC_Kafka__Consumer__session.timeout.ms"] = "6000";
        start.Environment["CDC_Kafka__Consumer__heartbeat.interval.ms"] = "500";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunScriptAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, script));
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{script} {argument} failed: {output}");
    }
}
