using System.Diagnostics;
using System.Globalization;
using Cdc.Benchmarks.Sink;
using Cdc.Common.Kafka;
using Microsoft.Extensions.Logging;

namespace Cdc.Cli.Demo;

/// <summary>
/// The main job on one machine, with a workload generator standing in for the source connector: embedded Kafka, two
/// real sink workers into two real PostgreSQL stores, a steady writer workload, the seeds' 5,000-order update timed,
/// then every store compared row for row with the primary.
/// </summary>
internal static class DemoRun
{
    private const string Topic = "shop.public.orders";
    private const int MinPartitions = 32;

    public static async Task<int> RunAsync(DemoOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        DemoText.Header(options);
        await DemoText.ServerAsync(options.Postgres, ct);

        Console.WriteLine();
        using var cluster = MockCluster.Create(brokers: 3);
        var partitions = WorkloadProducer.PartitionsFor((int)Math.Min(int.MaxValue, options.PlannedEvents), MinPartitions);
        cluster.CreateTopic(Topic, partitions);
        Console.WriteLine($"[1/4] embedded Kafka: librdkafka mock cluster, 3 brokers at {cluster.BootstrapServers}; topic {Topic}, {partitions} partitions");
        var subsystems = new List<Subsystem>();
        try
        {
            await StartSubsystemsAsync(options, cluster, subsystems, loggers, ct);
            var setup = Stopwatch.GetElapsedTime(started);

            var workload = new OrderWorkload(options.Keys, options.Seed);
            using var writer = new OrderWriter(cluster.BootstrapServers, Topic, workload, TimeProvider.System);
            var live = new LiveView(subsystems, writer);
            FlipLatencies flips;
            TimeSpan steady, flipping;
            await using (live)
            {
                live.Start();
                var phase = Stopwatch.GetTimestamp();
                await WriteAsync(options, writer, ct);
                await CatchUp.WaitAsync(subsystems, writer, ct);
                steady = Stopwatch.GetElapsedTime(phase);

                phase = Stopwatch.GetTimestamp();
                Console.WriteLine();
                Console.WriteLine(
                    $"[3/4] the seeds' case: one UPDATE moving {DemoReport.Num(options.FlipOrders)} orders (or all live ones, when fewer) to a new status in one transaction, {options.Flips} time{(options.Flips == 1 ? "" : "s")}; "
                    + "each timed from its commit (its events handed to the producer) until BOTH stores show every order in the new status (one count query per store every ~5 ms)");
                flips = await Flips.RunAsync(options, writer, subsystems, ct);
                writer.Flush();
                await CatchUp.WaitAsync(subsystems, writer, ct);
                flipping = Stopwatch.GetElapsedTime(phase);
            }

            WorkloadProducer.Verify(cluster.BootstrapServers, Topic, partitions, writer.Produced);
            Console.WriteLine();
            Console.WriteLine(
                $"[4/4] compare each store with the primary row for row (the primary = the writer's final state: {DemoReport.Num(workload.Final.Count)} orders, "
                + $"{DemoReport.Num(workload.Deleted.Count)} deleted), through each subsystem's mapping; {DemoReport.Num(writer.Produced)} events produced, all kept by Kafka");
            var phaseCompare = Stopwatch.GetTimestamp();
            var results = new List<SubsystemResult>();
            foreach (var subsystem in subsystems)
            {
                var comparison = await StoreRetry.RunAsync($"{subsystem.Name} comparison", subsystem.Database.DataSource, () => StoreComparer.CompareAsync(subsystem, workload, ct), ct);
                var deadLetters = DeadLetterCount.Of(cluster.BootstrapServers, subsystem.DeadLetterTopic, 1);
                results.Add(new SubsystemResult(subsystem, comparison, subsystem.Applied, deadLetters));
            }

            var compare = Stopwatch.GetElapsedTime(phaseCompare);
            var inSync = results.All(r => r.Comparison.Equal);
            var deadLettered = results.Sum(r => r.DeadLetters);
            DemoText.End(options, subsystems, cluster.BootstrapServers);
            Console.WriteLine();
            Console.WriteLine(DemoReport.Table(results, flips));
            foreach (var r in results.Where(r => r.DeadLetters > 0))
            {
                Console.WriteLine($"WARNING: the {r.Subsystem.Name} worker dead-lettered {DemoReport.Num(r.DeadLetters)} events to {r.Subsystem.DeadLetterTopic} (0 expected: every event is valid); its log on stderr says why; exit code 1");
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"flips, both stores: p50 {FlipLatencies.Percentile(flips.Both, 50)} ms, p95 {FlipLatencies.Percentile(flips.Both, 95)} ms, p99 {FlipLatencies.Percentile(flips.Both, 99)} ms over {flips.Both.Count} flips (nearest rank)"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"time: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s in all (set-up {setup.TotalSeconds:0.0} s, writer and catch-up {steady.TotalSeconds:0.0} s, flips {flipping.TotalSeconds:0.0} s, comparison {compare.TotalSeconds:0.0} s)"));
            Console.WriteLine(DemoReport.Result(results, flips));
            if (options.KeepRunning)
            {
                await WaitForCtrlCAsync(ct);
            }

            return inSync && deadLettered == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var subsystem in subsystems)
            {
                await subsystem.DisposeAsync();
            }
        }
    }

    private static async Task StartSubsystemsAsync(DemoOptions options, MockCluster cluster, List<Subsystem> subsystems, ILoggerFactory loggers, CancellationToken ct)
    {
        SubsystemMapping[] mappings = [SubsystemMapping.Risk, SubsystemMapping.Analytics];
        var ports = MetricsPorts(options, mappings.Length);
        for (var i = 0; i < mappings.Length; i++)
        {
            var mapping = mappings[i];
            var subsystem = await Subsystem.CreateAsync(mapping, options.Postgres, $"{options.DatabasePrefix}_{mapping.Name}", ports[i], ct);
            subsystems.Add(subsystem);
            cluster.CreateTopic(subsystem.DeadLetterTopic, 1);
            await subsystem.StartAsync(cluster.BootstrapServers, Topic, loggers.CreateLogger($"cdc.sink.{mapping.Name}"), ct);
            Console.WriteLine(
                $"      {mapping.Name,-9}  sink worker (group {mapping.Name}) -> database {subsystem.Database.Name}, table public.{SubsystemMapping.Table}: "
                + $"{mapping.Description}; dead letters to {subsystem.DeadLetterTopic}; /metrics on http://127.0.0.1:{subsystem.MetricsPort}/metrics");
        }
    }

    private static async Task WriteAsync(DemoOptions options, OrderWriter writer, CancellationToken ct)
    {
        var workload = writer.Workload;
        Console.WriteLine();
        Console.WriteLine(
            $"[2/4] writer workload (the generator): {DemoReport.Num(options.Orders)} orders created in one INSERT transaction, then {DemoReport.Num(options.Rate)} changes/s for {options.DurationSeconds} s, "
            + $"each its own transaction, over {DemoReport.Num(options.Keys)} order ids: orders created, amended (updated), cancelled (deleted)");
        writer.Commit(Enumerable.Range(0, options.Orders).Select(_ => workload.Create()).ToList());
        var (creates, updates, deletes, transactions) = (workload.Creates, workload.Updates, workload.Deletes, writer.Transactions);
        await writer.RunSteadyAsync(options.Rate, TimeSpan.FromSeconds(options.DurationSeconds), ct);
        writer.Flush();
        Console.WriteLine(
            $"  writer done: {DemoReport.Num(writer.Transactions - transactions)} transactions after the initial orders: {DemoReport.Num(workload.Creates - creates)} created, "
            + $"{DemoReport.Num(workload.Updates - updates)} amended, {DemoReport.Num(workload.Deletes - deletes)} cancelled; waiting for both stores to catch up");
    }

    private static int[] MetricsPorts(DemoOptions options, int count)
    {
        if (options.MetricsPort > 0)
        {
            return Enumerable.Range(options.MetricsPort, count).ToArray();
        }

        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePort.Next());
        }

        return [.. ports];
    }

    private static async Task WaitForCtrlCAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
