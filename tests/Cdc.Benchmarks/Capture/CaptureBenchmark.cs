using System.Diagnostics;
using System.Globalization;
using Cdc.Benchmarks.Sink;
using Cdc.Benchmarks.Support;
using Cdc.Capture;
using Cdc.Capture.Configuration;
using Cdc.DevKit;
using Cdc.DevKit.Kafka;
using Cdc.DevKit.Reports;
using Microsoft.Extensions.Logging;

namespace Cdc.Benchmarks.Capture;

/// <summary>
/// <c>cdc bench capture</c>: changes per second from WAL into the mock cluster (bulk inserts, bulk updates) and the
/// commit-to-acknowledgement lag of a 5,000-row single-statement update, through the connector running in-process.
/// </summary>
internal static class CaptureBenchmark
{
    private const string Table = "public.orders";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(CaptureBenchOptions.Usage);
            return 0;
        }

        CaptureBenchOptions options;
        try
        {
            options = CaptureBenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"cdc bench capture: {e.Message}");
            return 2;
        }

        await LocalPostgres.CheckAsync(options.Postgres, ct);
        await using var database = await BenchDatabase.CreateAsync(options.Postgres, "capture", ct);
        using var cluster = MockCluster.Create(brokers: 3);
        var capture = new CaptureOptions
        {
            Source = database.ConnectionString,
            BootstrapServers = cluster.BootstrapServers,
            TopicPrefix = "bench",
            Tables = [Table],
            Slot = "cdc_bench_" + Guid.NewGuid().ToString("N")[..12],
            Publication = "cdc_bench",
            JsonSchemas = options.JsonSchemas,
        };
        // The mock keeps ~5 MB per partition: wide enough for the whole run.
        cluster.CreateTopic($"bench.{Table}", 64);
        cluster.CreateTopic(capture.HeartbeatTopic, 1);
        await ExecuteAsync(database, "CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, amount numeric(10,2) NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())", ct);

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var acked = new AckCounter();
        await using var running = await CaptureHost.StartAsync(capture, loggers.CreateLogger("capture"), TimeProvider.System, ct);
        running.Metrics.TransactionAcknowledged += acked.Add;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = running.RunAsync(stop.Token);
        try
        {
            while (!running.Worker.Readiness.IsReady)
            {
                await Task.Delay(20, ct);
            }

            var table = new TextTable("workload", "changes", "seconds", "changes/s", "lag p50 ms", "lag p99 ms");
            var inserts = await MeasureAsync(database, acked, options.Rows / 1_000, 1_000, i => $"INSERT INTO orders (id, status, amount) SELECT g, 'new', g % 1000 FROM generate_series({(i * 1_000) + 1}, {(i + 1) * 1_000}) g", ct);
            table.Add(inserts.Row("bulk inserts (1,000/stmt)"));
            var updates = await MeasureAsync(database, acked, options.Updates / 1_000, 1_000, i => $"UPDATE orders SET status = 'paid', updated_at = now() WHERE id BETWEEN {((i * 1_000) % options.Rows) + 1} AND {((i * 1_000) % options.Rows) + 1_000}", ct);
            table.Add(updates.Row("bulk updates (1,000/stmt)"));
            // Fewer rows than 5,000 (--rows) make a smaller update: waiting for 5,000 changes would never end.
            var bigRows = Math.Min(5_000, options.Rows);
            var big = await MeasureAsync(database, acked, options.BigRuns, bigRows, i => $"UPDATE orders SET status = 'shipped-{i}' WHERE id <= {bigRows}", ct, oneAtATime: true);
            table.Add(big.Row("5,000-row update, 1 statement"));
            var rate = (inserts.Changes + updates.Changes) / (inserts.Seconds + updates.Seconds);
            var end = string.Create(CultureInfo.InvariantCulture, $"{table}\nRESULT bench-capture changes_per_s={rate:0} p99_lag_ms={big.P99Ms:0}");
            Console.WriteLine(end);
            var report = new HtmlReport("cdc bench capture")
                .Figures(
                    new ReportFigure("changes-per-s", "changes/s, bulk inserts and updates", rate.ToString("#,0", CultureInfo.InvariantCulture)),
                    new ReportFigure("p99-lag-ms", "5,000-row update, commit to ack p99 (ms)", big.P99Ms.ToString("0", CultureInfo.InvariantCulture)),
                    new ReportFigure("p50-lag-ms", "5,000-row update, commit to ack p50 (ms)", (Stats.Median(big.LagSeconds) * 1000).ToString("0", CultureInfo.InvariantCulture)))
                .Section("Throughput", "Changes per second from the primary's WAL into Kafka (acknowledged), through the .NET source connector in this process.")
                .Chart(new BarChart("Changes per second", "changes/s", [("bulk inserts", inserts.Changes / inserts.Seconds), ("bulk updates", updates.Changes / updates.Seconds), ("5,000-row updates", big.Changes / big.Seconds)]))
                .Section("Lag", "Each transaction's commit on the primary until Kafka acknowledged all its records, over the run, and its distribution per workload.")
                .Chart(new LineChart("Commit to Kafka acknowledgement, per transaction", "seconds since the connector started", "milliseconds",
                    [new ChartSeries("transactions", [.. acked.Timeline().Select(t => (t.Seconds, t.Lag * 1000))])]))
                .Chart(new Histogram("Commit-to-ack distribution", "milliseconds",
                    [("5,000-row update", Milliseconds(big)), ("bulk inserts", Milliseconds(inserts)), ("bulk updates", Milliseconds(updates))]))
                .Section("As printed")
                .Preformatted(end);
            var path = await report.SaveAsync(
                options.Report ?? HtmlReport.DefaultPath("bench-capture"),
                $"{TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {Environment.ProcessorCount} cores; --rows {options.Rows} --updates {options.Updates} --big-runs {options.BigRuns}",
                ct);
            Console.WriteLine($"report: {path}");
            return 0;
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await ReplicationCleanup.DropOrWarnAsync(database.ConnectionString, capture.Slot, capture.Publication, Console.Error);
        }
    }

    /// <summary>Runs <paramref name="statements"/> statements (each its own transaction) and waits until Kafka acknowledged all their changes.</summary>
    private static async Task<Phase> MeasureAsync(BenchDatabase database, AckCounter acked, int statements, int changesPerStatement, Func<int, string> sql, CancellationToken ct, bool oneAtATime = false)
    {
        var lags = new List<double>();
        var watch = Stopwatch.StartNew();
        var target = acked.Records;
        for (var i = 0; i < statements; i++)
        {
            var before = acked.Snapshot();
            await ExecuteAsync(database, sql(i), ct);
            target += changesPerStatement;
            if (oneAtATime)
            {
                await acked.UntilAsync(target, ct);
                lags.AddRange(acked.LagsSince(before));
            }
        }

        await acked.UntilAsync(target, ct);
        var seconds = watch.Elapsed.TotalSeconds;
        if (!oneAtATime)
        {
            lags.AddRange(acked.LagsSince(0).TakeLast(statements));
        }

        return new Phase(statements * (long)changesPerStatement, seconds, lags);
    }

    private static List<double> Milliseconds(Phase phase) => [.. phase.LagSeconds.Select(s => s * 1000)];

    private static async Task ExecuteAsync(BenchDatabase database, string sql, CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed record Phase(long Changes, double Seconds, List<double> LagSeconds)
    {
        public double P99Ms => Stats.Percentile(LagSeconds, 99) * 1000;

        public string[] Row(string name) =>
        [
            name,
            Changes.ToString("N0", CultureInfo.InvariantCulture),
            Seconds.ToString("0.00", CultureInfo.InvariantCulture),
            (Changes / Seconds).ToString("N0", CultureInfo.InvariantCulture),
            (Stats.Median(LagSeconds) * 1000).ToString("0", CultureInfo.InvariantCulture),
            P99Ms.ToString("0", CultureInfo.InvariantCulture),
        ];
    }
}
