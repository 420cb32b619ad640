using System.Diagnostics;
using Cdc.Dev.Demo;
using Confluent.Kafka;

namespace Cdc.Dev.Chaos;

/// <summary>The faults <c>cdc chaos</c> injects. Each returns when the fault has ended (the process restarted, the
/// brokers back, the server up), with a line saying what it did.</summary>
internal sealed class Faults(ChaosPipeline pipeline, ShopWriter writer)
{
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(2);
    private int _poison;
    private int _flips;

    /// <summary>Poison records produced so far (each store must dead-letter exactly these).</summary>
    public int Poison => _poison;

    /// <summary>The schedule of one round: kind, and the action.</summary>
    public IReadOnlyList<(string Kind, Func<CancellationToken, Task<string>> Inject)> Schedule =>
    [
        ("sink killed (SIGKILL)", ct => KillSinkAsync(0, midBatch: false, ct)),
        ("sink killed mid-batch (SIGKILL)", ct => KillSinkAsync(1, midBatch: true, ct)),
        ("source connector killed (SIGKILL)", KillCaptureAsync),
        ("all mock brokers down", BrokersDownAsync),
        ("slow store", SlowStoreAsync),
        ("poison events", PoisonAsync),
        ("PostgreSQL restarted", RestartPostgresAsync),
        ("sink killed mid-batch (SIGKILL)", ct => KillSinkAsync(0, midBatch: true, ct)),
    ];

    private async Task<string> KillSinkAsync(int index, bool midBatch, CancellationToken ct)
    {
        var worker = pipeline.Sinks[index].Worker;
        var detail = "";
        if (midBatch)
        {
            var (_, rows, _) = await writer.FlipAsync($"chaos_{++_flips}", 3_000, ct);
            await Task.Delay(TimeSpan.FromMilliseconds(60), ct);
            detail = $", 60 ms after an UPDATE of {rows:#,0} orders";
        }

        await worker.KillAsync();
        await Task.Delay(Down, ct);
        worker.Start();
        return $"{worker.Name} killed{detail}, restarted {Down.TotalSeconds:0} s later";
    }

    private async Task<string> KillCaptureAsync(CancellationToken ct)
    {
        var capture = pipeline.Capture!;
        await capture.KillAsync();
        await Task.Delay(Down, ct);
        capture.Start();
        return $"killed under load, restarted {Down.TotalSeconds:0} s later";
    }

    private async Task<string> BrokersDownAsync(CancellationToken ct)
    {
        var brokers = Enumerable.Range(1, pipeline.Cluster.BrokerCount).ToList();
        brokers.ForEach(pipeline.Cluster.SetBrokerDown);
        var hold = TimeSpan.FromSeconds(5);
        await Task.Delay(hold, ct);
        brokers.ForEach(pipeline.Cluster.SetBrokerUp);
        return $"{brokers.Count} of {brokers.Count} brokers down for {hold.TotalSeconds:0} s";
    }

    private async Task<string> SlowStoreAsync(CancellationToken ct)
    {
        var store = pipeline.Sinks[0].Store;
        var hold = TimeSpan.FromSeconds(6);
        await store.ExecuteAsync(
            """
            CREATE OR REPLACE FUNCTION public.cdc_chaos_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
            CREATE TRIGGER cdc_chaos_slow AFTER INSERT OR UPDATE OR DELETE ON public.orders FOR EACH STATEMENT EXECUTE FUNCTION public.cdc_chaos_slow();
            """,
            ct);
        await Task.Delay(hold, ct);
        await RecoveryProbe.RetryAsync(
            async () =>
            {
                await store.ExecuteAsync("DROP TRIGGER cdc_chaos_slow ON public.orders; DROP FUNCTION public.cdc_chaos_slow()", ct);
                return true;
            },
            store.DataSource,
            ct);
        return $"every statement on {pipeline.Sinks[0].Mapping.Name}'s orders delayed 300 ms for {hold.TotalSeconds:0} s";
    }

    private async Task<string> PoisonAsync(CancellationToken ct)
    {
        const int Count = 3;
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = pipeline.Cluster.BootstrapServers }).Build();
        var random = new Random(_poison);
        for (var i = 0; i < Count; i++)
        {
            var value = new byte[64];
            random.NextBytes(value);
            byte[][] values = [value, "{\"payload\":{\"op\":\"u\",\"after\":{\"id\":\"not a number\"}"u8.ToArray(), "{\"schema\":{},\"payload\":null,"u8.ToArray()];
            await producer.ProduceAsync(LocalPipeline.OrdersTopic, new Message<byte[], byte[]> { Key = "{\"id\":\"poison\"}"u8.ToArray(), Value = values[i % values.Length] }, ct);
            _poison++;
        }

        return $"{Count} undecodable records produced to {LocalPipeline.OrdersTopic}";
    }

    private static async Task<string> RestartPostgresAsync(CancellationToken ct)
    {
        var root = Environment.GetEnvironmentVariable("CDC_ROOT");
        var script = root is null ? null : Path.Combine(root, "scripts", "postgres.sh");
        if (script is null || !File.Exists(script))
        {
            throw new InvalidOperationException("CDC_ROOT is not the repository (./cdc chaos sets it): scripts/postgres.sh restarts the server");
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [script, "restart", "fast"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh restart failed ({process.ExitCode}): {await output}{await errors}");
        }

        return "the server of the primary and both stores stopped (fast) and started again";
    }
}
