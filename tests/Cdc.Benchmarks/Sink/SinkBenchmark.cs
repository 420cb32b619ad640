using System.Diagnostics;
using System.Globalization;
using Cdc.Benchmarks.Support;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.DevKit;
using Cdc.DevKit.Kafka;
using Cdc.DevKit.Reports;
using Cdc.Sink.Store;
using Cdc.Store.Bookkeeping;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// <c>cdc bench sink</c>: the sink measure of docs/design.md#benchmarks-the-measures-that-matter. Change events are
/// produced beforehand into an in-process mock Kafka cluster; then, each repeated and reported as medians, (a) the real
/// sink worker applies all of them into a fresh database, (b) a naive per-row consumer applies a prefix, (c) binary
/// COPY loads the final rows.
/// </summary>
public static class SinkBenchmark
{
    internal const string Topic = "shop.public.orders";
    private const int CopyRunsAtLeast = 5;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var (options, exitCode) = await CommandOptions.ParseAsync(
            "cdc bench sink", args, SinkBenchOptions.Usage, a => SinkBenchOptions.Parse(a, Environment.GetEnvironmentVariable("CDC_POSTGRES")));
        if (options is null)
        {
            return exitCode;
        }

        await LocalPostgres.CheckAsync(options.Postgres, ct);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        try
        {
            await RunAsync(options, loggers, ct);
            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cdc bench sink: cancelled");
            return 1;
        }
        catch (Exception e) when (OperatorErrors.Describe(e) is null && e is InvalidOperationException or TimeoutException or NpgsqlException or Confluent.Kafka.KafkaException)
        {
            await Console.Error.WriteLineAsync($"cdc bench sink: FAILED: {e.Message}");
            return 1;
        }
    }

    private static async Task RunAsync(SinkBenchOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        if (options.IsAvro)
        {
            await FormatComparison.RunAsync(options, loggers, ct);
            return;
        }

        var total = Stopwatch.GetTimestamp();
        var runner = Runner(options, loggers);
        await PrintServerAsync(options, ct);

        using var cluster = MockCluster.Create(brokers: 3);
        var workload = new OrderWorkload(options.Keys, options.Seed);
        var partitions = WorkloadProducer.PartitionsFor(options.Events, options.Partitions);
        Console.WriteLine($"producing {Num(options.Events)} events over {Num(options.Keys)} keys into {Topic} ({partitions} partitions, mock cluster {cluster.BootstrapServers}) ...");
        var topic = TransactionalWorkload.Produce(cluster, Topic, partitions, workload, options.Events, options.TransactionEvents);
        Console.WriteLine(
            $"  produced in {topic.Seconds:0.0} s, verified {Num(topic.Events)} messages kept, in source transactions of {options.TransactionEvents} events (BEGIN and END on {TransactionalWorkload.TransactionTopic(Topic)}); {Percent(topic.Creates, topic.Events)} creates, {Percent(topic.Updates, topic.Events)} updates, "
            + $"{Percent(topic.Deletes, topic.Events)} deletes; {topic.AverageBytes:0} B/event; {Num(workload.Final.Count)} rows at the end");
        var expected = OrdersTable.Expected(workload.Final);
        var finalRows = workload.Final.Values.OrderBy(r => r.Id).ToList();

        var report = new SinkBenchReport(options, topic, runner.Description);
        Console.WriteLine($"sink: {runner.Description}, batch size {Setting(options.BatchSize, SinkDefaults.MaxBatchSize.ToString(CultureInfo.InvariantCulture))}, parallelism {Setting(options.Parallelism, SinkDefaults.Parallelism.ToString(CultureInfo.InvariantCulture))}");
        // The three modes interleaved, run by run, so the machine's other load falls on each alike.
        for (var run = 1; run <= options.Repeat; run++)
        {
            foreach (var (name, list, consistency, tracking) in new[]
            {
                ("sink", report.Sink, (string?)null, true),
                ("sink --consistency transaction", report.Transaction, "transaction", true),
                ("sink, tracking off", report.Untracked, null, false),
            })
            {
                var result = await ServerRestarts.RetryAsync($"{name} run {run}", () => SinkOnceAsync(options, cluster.BootstrapServers, topic, runner, expected, run, ct, consistency: consistency, tracking: tracking), ct);
                list.Add(result);
                Console.WriteLine(
                    $"  {name} run {run}/{options.Repeat}: {Num(result.Events)} events in {result.Seconds:0.00} s = {Num(result.EventsPerSecond)} events/s "
                    + $"(startup {result.StartupSeconds:0.00} s, peak RSS {result.PeakRssBytes / 1048576.0:0} MB, CPU/event: sink {result.SinkCpuMicrosPerEvent:0.0} us, PostgreSQL {result.StoreCpuMicrosPerEvent:0.0} us, mock Kafka {result.KafkaCpuMicrosPerEvent:0.0} us); store verified: {Num(expected.Rows)} rows, md5 {expected.Md5[..Math.Min(8, expected.Md5.Length)]}");
            }
        }

        if (options.PerRowEvents > 0)
        {
            for (var run = 1; run <= options.Repeat; run++)
            {
                var result = await ServerRestarts.RetryAsync($"per-row run {run}", () => PerRowOnceAsync(options, cluster.BootstrapServers, topic, ct), ct);
                report.PerRow.Add(result);
                Console.WriteLine($"  per-row run {run}/{options.Repeat}: {Num(result.Events)} events in {result.Seconds:0.00} s = {Num(result.EventsPerSecond)} events/s");
            }
        }

        // A COPY takes a fraction of a second, so checkpoints and WAL flushes move single runs a lot: run it more.
        var copyRuns = Math.Max(options.Repeat, CopyRunsAtLeast);
        for (var run = 1; run <= copyRuns; run++)
        {
            var result = await ServerRestarts.RetryAsync($"COPY run {run}", () => CopyOnceAsync(options, finalRows, ct), ct);
            report.Copy.Add(result);
            Console.WriteLine($"  COPY run {run}/{copyRuns}: {Num(result.Rows)} rows in {result.Seconds:0.000} s = {Num(result.RowsPerSecond)} rows/s (verified)");
        }

        if (options.Profile)
        {
            await ProfileAsync(options, cluster.BootstrapServers, topic, loggers, ct);
        }

        Console.WriteLine();
        Console.WriteLine(report.Summary());
        Console.WriteLine($"total {Stopwatch.GetElapsedTime(total).TotalSeconds:0} s");
        Console.WriteLine();
        var rendered = report.Render();
        Console.WriteLine(rendered);
        var path = await report.Html(rendered).SaveAsync(options.Report ?? HtmlReport.DefaultPath("bench-sink"), report.Subtitle(), ct);
        Console.WriteLine($"report: {path}");
    }

    /// <summary>One verified sink run into a fresh database; <paramref name="schemaRegistry"/> set: the topic holds Avro.</summary>
    internal static async Task<SinkRunResult> SinkOnceAsync(
        SinkBenchOptions options, string bootstrapServers, ProducedTopic topic, ISinkRunner runner, (long Rows, string Md5) expected, int run, CancellationToken ct, string? schemaRegistry = null,
        string? consistency = null, bool tracking = true)
    {
        await using var database = await FreshOrdersDatabaseAsync(options, "sink", ct);
        var metadata = new MetadataTables("cdc");
        await metadata.EnsureAsync(database.DataSource, ct);
        var group = $"bench-sink-{run}-{Guid.NewGuid():N}";
        var progress = new StoreProgress(database.DataSource, metadata, group);
        var store = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = StoreBackends.ApplicationName }.ConnectionString;
        var spec = new SinkRunSpec(bootstrapServers, topic.Name, group, store, topic.Events, options.BatchSize, options.Parallelism, schemaRegistry, consistency, tracking);
        var result = await runner.RunAsync(spec, progress, new StoreBackends(database.DataSource), ct) with { Progress = progress.Timeline };
        var actual = await database.ChecksumAsync(OrderEventJson.Table, ct);
        if (actual != expected)
        {
            throw new InvalidOperationException(
                $"sink run {run}: the store holds {actual.Rows} rows (md5 {actual.Md5}) but the primary would hold {expected.Rows} (md5 {expected.Md5})");
        }

        return result;
    }

    private static async Task<PerRowResult> PerRowOnceAsync(SinkBenchOptions options, string bootstrapServers, ProducedTopic topic, CancellationToken ct)
    {
        await using var database = await FreshOrdersDatabaseAsync(options, "perrow", ct);
        return await PerRowLoop.RunAsync(bootstrapServers, topic, database, options.PerRowEvents, ct);
    }

    private static async Task<CopyResult> CopyOnceAsync(SinkBenchOptions options, IReadOnlyList<OrderRow> rows, CancellationToken ct)
    {
        await using var database = await BenchDatabase.CreateAsync(options.Postgres, "copy", ct);
        return await CopyLoad.RunAsync(database, rows, ct);
    }

    private static async Task ProfileAsync(SinkBenchOptions options, string bootstrapServers, ProducedTopic topic, ILoggerFactory loggers, CancellationToken ct)
    {
        await using var database = await FreshOrdersDatabaseAsync(options, "profile", ct);
        var batchSize = options.BatchSize ?? SinkDefaults.MaxBatchSize;
        var times = await SinkStageProfile.RunAsync(bootstrapServers, topic, database, batchSize, loggers.CreateLogger("profile"), ct);
        Console.WriteLine();
        Console.WriteLine($"profile: the sink's stages, one batch of {Num(batchSize)} at a time on one connection ({times.Batches} batches, {Num(times.Events)} events)");
        var table = new TextTable("stage", "seconds", "us/event", "share", "events/s alone");
        void Row(string stage, double seconds, double total) => table.Add(
            stage,
            seconds.ToString("0.00", CultureInfo.InvariantCulture),
            (seconds * 1e6 / times.Events).ToString("0.0", CultureInfo.InvariantCulture),
            total > 0 ? (seconds / total).ToString("P0", CultureInfo.InvariantCulture) : "",
            Num(times.Events / seconds));
        Row("consume (Kafka, 1 consumer)", times.Consume, 0);
        Row("decode (DebeziumJsonDecoder)", times.Decode, times.Total);
        Row("plan (PlanPreparer)", times.Plan, times.Total);
        Row("apply (BatchApplier: COPY, merge, offsets, commit)", times.Apply, times.Total);
        Row("decode + plan + apply", times.Total, times.Total);
        Console.WriteLine(table);
    }

    internal static async Task<BenchDatabase> FreshOrdersDatabaseAsync(SinkBenchOptions options, string purpose, CancellationToken ct)
    {
        var database = await BenchDatabase.CreateAsync(options.Postgres, purpose, ct);
        try
        {
            await database.ExecuteAsync(OrdersTable.Create(OrderEventJson.Table), ct);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    internal static ISinkRunner Runner(SinkBenchOptions options, ILoggerFactory loggers)
    {
        if (options.Mode == SinkProcessMode.Child)
        {
            if (File.Exists(BuiltCommands.ProductDll))
            {
                return new ChildSinkRunner();
            }

            Console.Error.WriteLine($"cdc bench sink: {BuiltCommands.ProductDll} is not built, so the sink runs in-process");
        }

        return new InProcessSinkRunner(loggers);
    }

    internal static async Task PrintServerAsync(SinkBenchOptions options, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(options.Postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('synchronous_commit'), current_setting('fsync'), current_setting('shared_buffers'), current_setting('max_wal_size')",
            connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        Console.WriteLine(
            $"cdc bench sink: {Environment.ProcessorCount} cores; PostgreSQL {reader.GetString(0)} at {Cdc.Common.Postgres.PgEndpoint.Describe(options.Postgres)} "
            + $"(synchronous_commit={reader.GetString(1)}, fsync={reader.GetString(2)}, shared_buffers={reader.GetString(3)}, max_wal_size={reader.GetString(4)})");
    }

    /// <summary>The sink's own defaults, read from its options rather than repeated here.</summary>
    internal static readonly Cdc.Sink.Configuration.SinkOptions SinkDefaults = new();

    internal static string Setting(int? value, string sinkDefault) => value?.ToString(CultureInfo.InvariantCulture) ?? $"{sinkDefault} (sink default)";

    private static string Num(double value) => SinkBenchReport.Whole(value);

    internal static string Percent(int part, long whole) => (whole == 0 ? 0 : (double)part / whole).ToString("P1", CultureInfo.InvariantCulture);
}
