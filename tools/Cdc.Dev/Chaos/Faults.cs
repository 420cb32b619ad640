using System.Diagnostics;
using System.Globalization;
using Cdc.Benchmarks.Sink;
using Cdc.Dev.Demo;
using Cdc.Reconciler;
using Cdc.Sink.Configuration;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.Dev.Chaos;

/// <summary>
/// The faults <c>cdc chaos</c> injects. Each returns when the fault has ended (the process restarted, the brokers back,
/// the server up), with a line saying what it did; a fault that loses data on its way (issue 12: a retention gap, Kafka
/// losing its topics, tables joining, a truncate, an oversize row) also says how the pipeline found it and waits for
/// the heal, proven by the reconciler on the affected store.
/// </summary>
internal sealed class Faults(ChaosPipeline pipeline, ShopWriter writer)
{
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HealLimit = TimeSpan.FromMinutes(3);
    private int _poison;
    private int _flips;
    private int _tables;

    /// <summary>Poison records produced so far (each store must dead-letter exactly these).</summary>
    public int Poison => _poison;

    /// <summary>The schedule of one round: kind, and the action.</summary>
    public IReadOnlyList<(string Kind, Func<CancellationToken, Task<FaultOutcome>> Inject)> Schedule =>
    [
        ("sink killed (SIGKILL)", ct => Plain(KillSinkAsync(0, midBatch: false, ct))),
        ("retention gap", ct => RetentionGapAsync(0, ct)),
        ("sink killed mid-batch (SIGKILL)", ct => Plain(KillSinkAsync(1, midBatch: true, ct))),
        ("new table created under load", NewTableAsync),
        ("source connector killed (SIGKILL)", ct => Plain(KillCaptureAsync(ct))),
        ("truncate", TruncateAsync),
        ("all mock brokers down", ct => Plain(BrokersDownAsync(ct))),
        ("table added to the captured set", TableJoinsAsync),
        ("slow store", ct => Plain(SlowStoreAsync(ct))),
        ("sink instance added and killed in a group", ScaleOutAsync),
        ("poison events", PoisonAsync),
        ("Kafka restarted (topics lost)", ct => KafkaRestartedAsync(1, ct)),
        ("oversize row", OversizeAsync),
        ("PostgreSQL restarted", ct => Plain(RestartPostgresAsync(ct))),
        ("sink killed mid-batch (SIGKILL)", ct => Plain(KillSinkAsync(0, midBatch: true, ct))),
    ];

    private static async Task<FaultOutcome> Plain(Task<string> fault) => new(await fault);

    /// <summary>
    /// A sink stopped while retention deletes what it has not read: every partition's log start moved past it (the
    /// mock's retention, through its API), with orders changed and deleted meanwhile.
    /// </summary>
    private async Task<FaultOutcome> RetentionGapAsync(int index, CancellationToken ct)
    {
        var (mapping, store, _, worker) = pipeline.Sinks[index];
        var since = await HealIdAsync(store, ct);
        await worker.StopAsync();
        await writer.FlipAsync($"gap_{++_flips}", 500, ct);
        await pipeline.Primary.ExecuteAsync("DELETE FROM public.order_items WHERE order_id IN (SELECT id FROM public.orders WHERE status = 'cancelled' LIMIT 20)", ct);
        await UntilCapturedAsync(ct);
        foreach (var topic in LocalPipeline.Topics)
        {
            foreach (var (partition, high) in HighWatermarks(topic))
            {
                pipeline.Cluster.DeleteRecords(topic, partition, high);
            }
        }

        worker.Start();
        var (detected, seconds, lost) = await HealOfGapsAsync(index, since, ct);
        return new FaultOutcome($"{mapping.Name} sink stopped, 500 orders flipped and items deleted, every partition's log start moved past its offsets, sink started", detected, seconds, lost);
    }

    /// <summary>Kafka restarted without its data while a sink was down: every table topic deleted and created again.</summary>
    private async Task<FaultOutcome> KafkaRestartedAsync(int index, CancellationToken ct)
    {
        var (mapping, store, _, worker) = pipeline.Sinks[index];
        var since = await HealIdAsync(store, ct);
        await worker.StopAsync();
        await writer.FlipAsync($"lost_{++_flips}", 500, ct);
        await UntilCapturedAsync(ct);
        foreach (var topic in LocalPipeline.Topics)
        {
            pipeline.Cluster.DeleteTopic(topic);
            pipeline.Cluster.CreateTopic(topic, ChaosPipeline.Partitions);
        }

        worker.Start();
        var (detected, seconds, lost) = await HealOfGapsAsync(index, since, ct);
        return new FaultOutcome($"{mapping.Name} sink stopped, 500 orders flipped, every table topic deleted and created again (new incarnations), sink started", detected, seconds, lost);
    }

    /// <summary>A table created while the writers run, rows written before the connector noticed it and after.</summary>
    private async Task<FaultOutcome> NewTableAsync(CancellationToken ct)
    {
        var table = $"chaos_new_{++_tables}";
        var started = Stopwatch.GetTimestamp();
        await pipeline.Primary.ExecuteAsync($"CREATE TABLE public.{table} (id int PRIMARY KEY, note text); INSERT INTO public.{table} SELECT g, 'before' FROM generate_series(1, 300) g", ct);
        for (var batch = 0; batch < 10; batch++)
        {
            await pipeline.Primary.ExecuteAsync($"INSERT INTO public.{table} SELECT g, 'during' FROM generate_series({301 + (batch * 20)}, {320 + (batch * 20)}) g; UPDATE public.{table} SET note = 'changed' WHERE id = {batch + 1}", ct);
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }

        return await JoinedAsync(table, started, $"public.{table} created, 500 rows written over 2 s", ct);
    }

    /// <summary>A table without a replica identity (left out: its writers keep working) gets a primary key and joins.</summary>
    private async Task<FaultOutcome> TableJoinsAsync(CancellationToken ct)
    {
        var table = $"chaos_join_{++_tables}";
        await pipeline.Primary.ExecuteAsync($"CREATE TABLE public.{table} (id int NOT NULL, note text); INSERT INTO public.{table} SELECT g, 'before' FROM generate_series(1, 200) g", ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await pipeline.Primary.ExecuteAsync($"UPDATE public.{table} SET note = 'a writer, unaffected' WHERE id <= 10", ct);
        var started = Stopwatch.GetTimestamp();
        await pipeline.Primary.ExecuteAsync($"ALTER TABLE public.{table} ADD PRIMARY KEY (id); UPDATE public.{table} SET note = 'after' WHERE id > 190", ct);
        return await JoinedAsync(table, started, $"public.{table} (no key: left out, its UPDATE worked) given a primary key", ct);
    }

    /// <summary>A captured table truncated, then written again.</summary>
    private async Task<FaultOutcome> TruncateAsync(CancellationToken ct)
    {
        var table = $"chaos_trunc_{++_tables}";
        await pipeline.Primary.ExecuteAsync($"CREATE TABLE public.{table} (id int PRIMARY KEY, note text); INSERT INTO public.{table} SELECT g, 'before' FROM generate_series(1, 100) g", ct);
        await UntilEqualAsync(table, ct);
        var started = Stopwatch.GetTimestamp();
        await pipeline.Primary.ExecuteAsync($"TRUNCATE public.{table}; INSERT INTO public.{table} VALUES (1000, 'after the truncate')", ct);
        var outcome = await JoinedAsync(table, started, $"public.{table} (100 rows in both stores) truncated, one row written after", ct);
        return outcome with { Detected = "op=t applied by both sinks" };
    }

    /// <summary>
    /// A row larger than the connector's record limit (1 MiB at start): recorded as skipped, the stream goes on; the limit
    /// raised to its default and the connector restarted: the row is re-read.
    /// </summary>
    private async Task<FaultOutcome> OversizeAsync(CancellationToken ct)
    {
        var table = $"chaos_big_{++_tables}";
        var capture = pipeline.Capture!;
        await capture.StopAsync();
        capture.SetArgument("--max-record-bytes", ChaosPipeline.InitialRecordLimit.ToString(CultureInfo.InvariantCulture));
        capture.Start();
        await pipeline.Primary.ExecuteAsync($"CREATE TABLE public.{table} (id int PRIMARY KEY, body text); ALTER TABLE public.{table} ALTER COLUMN body SET STORAGE EXTERNAL; INSERT INTO public.{table} VALUES (1, 'small')", ct);
        await UntilEqualAsync(table, ct);
        var started = Stopwatch.GetTimestamp();
        await pipeline.Primary.ExecuteAsync($"INSERT INTO public.{table} VALUES (2, repeat('x', 1500000)), (3, 'after, same transaction')", ct);
        await UntilAsync(() => Task.FromResult(capture.Log().Contains($"row of public.{table} with key", StringComparison.Ordinal)), "the connector to record the oversize row", ct);
        await capture.StopAsync();
        capture.SetArgument("--max-record-bytes", (8 << 20).ToString(CultureInfo.InvariantCulture));
        capture.Start();
        var outcome = await JoinedAsync(table, started, $"a 1.5 MB row in public.{table} over the 1 MiB limit; limit raised to 8 MiB, connector restarted", ct);
        return outcome with { Detected = "connector: 'not sent (oversize)', recorded in shop.skipped-rows; re-read at restart" };
    }

    /// <summary>A second instance joins the risk group under load, the first is SIGKILLed, restarted, the second stopped.</summary>
    private async Task<FaultOutcome> ScaleOutAsync(CancellationToken ct)
    {
        var (mapping, _, _, worker) = pipeline.Sinks[0];
        await using var extra = pipeline.ExtraInstance(0, "2");
        extra.Start();
        await Task.Delay(TimeSpan.FromSeconds(4), ct);
        await writer.FlipAsync($"scale_{++_flips}", 1_000, ct);
        await worker.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        worker.Start();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await extra.StopAsync();
        return new FaultOutcome($"a second {mapping.Name} instance joined the group, the first SIGKILLed under a 1,000-row UPDATE and restarted, the second stopped", "group rebalances (partitions moved between instances)");
    }

    /// <summary>Until a store holds a table and both stores equal the primary on it; the detection, heal seconds and rows lost.</summary>
    private async Task<FaultOutcome> JoinedAsync(string table, long started, string what, CancellationToken ct)
    {
        pipeline.ExtraTables.Add($"public.{table}");
        var detected = "connector: 'tables joined the captured set', incremental snapshot";
        await UntilEqualAsync(table, ct);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var lost = 0L;
        foreach (var (mapping, store, _, _) in pipeline.Sinks)
        {
            var verdict = await VerdictCheck.RunAsync(pipeline.Primary.ConnectionString, store.ConnectionString, mapping, ct, [$"public.{table}"]);
            lost += verdict.Tables.Where(t => t.Table.Name == table).Sum(t => t.Missing.Count + t.Extra.Count + t.Changed.Count);
        }

        return new FaultOutcome(what, detected, seconds, lost);
    }

    private async Task UntilEqualAsync(string table, CancellationToken ct) =>
        await UntilAsync(
            async () =>
            {
                foreach (var (mapping, store, _, _) in pipeline.Sinks)
                {
                    if (!await TableExistsAsync(store, table, ct)
                        || !(await VerdictCheck.RunAsync(pipeline.Primary.ConnectionString, store.ConnectionString, mapping, ct, [$"public.{table}"])).Tables.Where(t => t.Table.Name == table).All(t => t.Equal))
                    {
                        return false;
                    }
                }

                return true;
            },
            $"both stores to equal the primary on public.{table}",
            ct);

    /// <summary>The heals of the gaps the sink found since <paramref name="since"/>: how it found them, when healed, and the rows still differing then.</summary>
    private async Task<(string Detected, double Seconds, long Lost)> HealOfGapsAsync(int index, long since, CancellationToken ct)
    {
        var (_, store, sink, _) = pipeline.Sinks[index];
        var started = Stopwatch.GetTimestamp();
        var reasons = "";
        await UntilAsync(
            async () =>
            {
                var rows = await RecoveryProbe.RetryAsync(() => ScalarTextAsync(store.DataSource, $"SELECT count(*) || '|' || count(*) FILTER (WHERE state = 'healed') || '|' || coalesce(string_agg(DISTINCT reason, ','), '') FROM cdc.heals WHERE id > {since}", ct), store.DataSource, ct);
                var parts = rows.Split('|');
                reasons = $"{parts[0]} gap(s) ({parts[2]})";
                return parts[0] != "0" && parts[0] == parts[1];
            },
            "the sink to find the gaps and the heal worker to heal them",
            ct);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var check = await StoreCheck.RunAsync(pipeline.Primary.ConnectionString, store.ConnectionString, sink, pipeline.Slot, RepairMode.None, TextWriter.Null, ct, pipeline.ExtraTables);
        var lost = check.Lagging ? -1 : check.Tables.Sum(t => t.Missing + t.Extra + t.Divergent);
        // A row still differing after every heal said healed is named, with the table, so the run can be followed up.
        var differing = lost > 0
            ? "; still differing: " + await DifferingRows.DescribeAsync(pipeline.Primary, store, check.Tables.SelectMany(t => t.Findings), ct)
              + await AgainAsync(store, sink, check, ct)
            : "";
        return ($"sink: {reasons} logged, counted, in cdc.heals; healed by re-snapshot + heal worker (audit: cdc.reconcile_runs){differing}", seconds, lost);
    }

    /// <summary>The check run again 5 s later: whether the rows it found still differ (drift) or are gone (they were in flight).</summary>
    private async Task<string> AgainAsync(BenchDatabase store, SinkOptions sink, ReconcileResult first, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var again = await StoreCheck.RunAsync(pipeline.Primary.ConnectionString, store.ConnectionString, sink, pipeline.Slot, RepairMode.None, TextWriter.Null, ct, pipeline.ExtraTables);
        var keys = again.Tables.SelectMany(t => t.Findings).Select(f => $"{f.Table} {f.KeyDisplay}").ToHashSet(StringComparer.Ordinal);
        var still = first.Tables.SelectMany(t => t.Findings).Count(f => keys.Contains($"{f.Table} {f.KeyDisplay}"));
        return $"; checked again 5 s later: {still} of them still differ, {keys.Count} row(s) differing then";
    }

    private static async Task<long> HealIdAsync(BenchDatabase store, CancellationToken ct) =>
        long.Parse(await RecoveryProbe.RetryAsync(() => ScalarTextAsync(store.DataSource, "SELECT coalesce(max(id), 0)::text FROM cdc.heals", ct), store.DataSource, ct), CultureInfo.InvariantCulture);

    /// <summary>Until the connector confirmed everything written before the call: it is all in Kafka.</summary>
    private async Task UntilCapturedAsync(CancellationToken ct)
    {
        var now = await ScalarTextAsync(pipeline.Primary.DataSource, "SELECT pg_current_wal_lsn()::text", ct);
        await UntilAsync(
            async () => await ScalarTextAsync(pipeline.Primary.DataSource, $"SELECT (confirmed_flush_lsn >= '{now}'::pg_lsn)::text FROM pg_replication_slots WHERE slot_name = '{pipeline.Slot}'", ct) == "true",
            "the connector to confirm everything written",
            ct);
    }

    private Dictionary<int, long> HighWatermarks(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = pipeline.Cluster.BootstrapServers, GroupId = "cdc-chaos-watermarks" }).Build();
        return Enumerable.Range(0, ChaosPipeline.Partitions).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    private static async Task<bool> TableExistsAsync(BenchDatabase store, string table, CancellationToken ct) =>
        await RecoveryProbe.RetryAsync(() => ScalarTextAsync(store.DataSource, $"SELECT (to_regclass('public.{table}') IS NOT NULL)::text", ct), store.DataSource, ct) == "true";

    private static async Task<string> ScalarTextAsync(NpgsqlDataSource source, string sql, CancellationToken ct)
    {
        await using var command = source.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task UntilAsync(Func<Task<bool>> done, string what, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await done())
        {
            pipeline.ThrowIfExited();
            if (Stopwatch.GetElapsedTime(started) > HealLimit)
            {
                throw new TimeoutException($"chaos: {what} did not happen within {HealLimit.TotalMinutes:0} minutes");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

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

    /// <summary>
    /// Undecodable records: recovered once every store shows a later change and every sink has parked all the poison so
    /// far (a Kafka losing its topics right after would otherwise take unread poison with it, leaving nothing to park).
    /// </summary>
    private async Task<FaultOutcome> PoisonAsync(CancellationToken ct)
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

        var poison = _poison;
        return new FaultOutcome($"{Count} undecodable records produced to {LocalPipeline.OrdersTopic}")
        {
            RecoveredWhen = () => pipeline.Sinks.All(s => DeadLetterCount.Of(pipeline.Cluster.BootstrapServers, s.Sink.DeadLetterTopic) >= poison),
        };
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
