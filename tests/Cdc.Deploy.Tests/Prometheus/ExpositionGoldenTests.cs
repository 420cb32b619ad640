using System.Diagnostics.Metrics;
using Cdc.Capture.Worker;
using Cdc.Common.Metrics;
using Cdc.Deploy.Tests.Support;
using Cdc.Reconciler;
using Cdc.Reconciler.Reporting;
using Cdc.Sink.Worker;
using Cdc.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>
/// The metrics contract of the sink, the source connector and the reconciler (and of the Npgsql meter they serve):
/// every family's name, type, unit suffix, HELP text, labels and buckets, with every instrument recorded once, compared
/// with <c>Golden/*.txt</c>. The golden files were captured from the hand-written exposition before it was replaced by
/// prometheus-net, so the alert rules, their promtool tests and the dashboard keep reading the same series.
/// Set <c>CDC_UPDATE_GOLDEN=1</c> to rewrite them (then review the diff: a changed name breaks alerts).
/// </summary>
public sealed class ExpositionGoldenTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public async Task Sink_EveryInstrumentRecorded_MatchesTheGolden()
    {
        using var metrics = new SinkMetrics(new FakeTimeProvider(Now));
        using var exposition = Listen(metrics.Meter);
        var table = new KeyValuePair<string, object?>("table", "public.orders");
        metrics.EventsApplied.Add(3, table, new("op", "c"));
        metrics.EventsApplied.Add(1, table, new("op", "u"));
        metrics.CountProcessed(5);
        metrics.CountFailed();
        metrics.Batches.Add(1);
        metrics.BatchFailures.Add(1);
        metrics.Retries.Add(2);
        metrics.DeadLetters.Add(1, new("topic", "shop.public.orders"), new("stage", "ValueConverter"));
        metrics.Skipped.Add(1);
        metrics.Released.Add(4, new KeyValuePair<string, object?>("stage", "pending"));
        metrics.BatchSize.Record(5);
        metrics.ApplyDuration.Record(0.2);
        metrics.EndToEndLatency.Record(0.3);
        metrics.EndToEndLatency.Record(42);
        metrics.CircuitOpen = true;
        metrics.SetLag("shop.public.orders", 0, records: 7, lastAppliedSourceTsMs: Now.ToUnixTimeMilliseconds() - 2_500);
        metrics.SetLag("shop.public.orders", 1, records: 0, lastAppliedSourceTsMs: null);
        metrics.TransactionsFinished.Add(1, new KeyValuePair<string, object?>("state", "COMPLETED"));
        metrics.CountOverSla();
        metrics.CountPartialFailure();
        metrics.CountAppliedIncomplete();
        metrics.BufferedEvents = 42;
        metrics.TransactionDuration.Record(0.3);
        metrics.SetWatermark(123_456_789, Now.AddMilliseconds(-1_500));
        metrics.Gaps.Add(1, new("topic", "shop.public.orders"), new("reason", "log-start-passed"));
        metrics.GapRecords.Add(12, new KeyValuePair<string, object?>("topic", "shop.public.orders"));
        metrics.HealsRequested.Add(1, table);
        metrics.HealsOpen = 1;

        await AssertGoldenAsync("sink.txt", exposition, catalog: MetricCatalog.Sink);
    }

    [Fact]
    public async Task Sink_BeforeAnyRecord_ExportsTheFailureRatioCountersAtZero()
    {
        using var metrics = new SinkMetrics(new FakeTimeProvider(Now));
        using var exposition = Listen(metrics.Meter);

        await AssertGoldenAsync("sink-start.txt", exposition);
    }

    [Fact]
    public async Task Capture_EveryInstrumentRecorded_MatchesTheGolden()
    {
        using var metrics = new CaptureMetrics("cdc");
        using var exposition = Listen(metrics.Meter);
        metrics.Changes.Add(2, new("table", "public.orders"), new("op", "c"));
        metrics.Heartbeats.Add(1);
        metrics.Reconnects.Add(1);
        metrics.AckLag.Record(0.05);
        metrics.LagSeconds = 0.05;
        metrics.ConfirmedLsn = 0x16B3748;
        metrics.RetainedWalBytes = 1_048_576;
        metrics.InactiveSlots = [new Cdc.Capture.Source.InactiveSlot("old_slot", "shop", 2_147_483_648)];
        metrics.RowsSkipped.Add(1, new("table", "public.orders"), new("reason", "oversize"));
        metrics.RowsSkippedPending = 1;
        metrics.Resnapshots.Add(1, new("table", "public.orders"), new("reason", "new-table"));

        await AssertGoldenAsync("capture.txt", exposition, catalog: MetricCatalog.Capture);
    }

    [Fact]
    public async Task Reconciler_EveryInstrumentRecorded_MatchesTheGolden()
    {
        using var metrics = new ReconcilerMetrics();
        using var exposition = Listen(metrics.Meter);
        var progress = new RunProgress();
        progress.AddExpected(10);
        progress.AddRows(5);
        metrics.Started(progress);
        var result = new ReconcileResult { State = RunState.Completed, Duration = TimeSpan.FromSeconds(2) };
        var orders = new TableResult("public.orders");
        orders.Findings.Add(new Finding("public.orders", DriftKind.Missing, "1", ["1"], [], null) { Repair = "repaired" });
        orders.Findings.Add(new Finding("public.orders", DriftKind.Divergent, "2", ["2"], ["status"], null));
        result.Tables.Add(orders);
        metrics.Finished(result, Now, "direct");

        await AssertGoldenAsync("reconciler.txt", exposition, catalog: MetricCatalog.Reconciler);
    }

    [Fact]
    public async Task Npgsql_CommandsRun_MatchesTheGolden()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var exposition = new PrometheusExposition(m => m.Name == "Npgsql");
        // The pool's gauges (connection count, max) are observed only while its data source lives, as in a running
        // command: rendered before it is disposed, so the test does not depend on another test's pool being alive.
        await using var source = NpgsqlDataSource.Create(database);
        await using (var command = source.CreateCommand("SELECT 1"))
        {
            await command.ExecuteScalarAsync();
        }

        // Npgsql's meter is the process's: other tests running beside this one may add series (a failed command's
        // error.type, pool timeouts), so every golden line must be served, and more may be.
        await AssertGoldenAsync("npgsql.txt", exposition, keepValues: false, exactly: false);
    }

    /// <summary>What a component serves on <c>/metrics</c> for its own meter (it listens before anything is recorded).</summary>
    private static PrometheusExposition Listen(Meter meter) => new(m => ReferenceEquals(m, meter));

    /// <param name="catalog">The names the rules and the dashboard may read of this component: each must be served.</param>
    private static async Task AssertGoldenAsync(string file, PrometheusExposition exposition, bool keepValues = true, bool exactly = true, string[]? catalog = null)
    {
        var text = await exposition.RenderAsync();
        Assert.All(catalog ?? [], name => Assert.Contains($"\n{name}", "\n" + text, StringComparison.Ordinal));
        var shape = ExpositionShape.Of(text, keepValues);
        var path = Repository.PathOf("tests/Cdc.Deploy.Tests/Prometheus/Golden/" + file);
        if (Environment.GetEnvironmentVariable("CDC_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(path, shape);
        }

        var golden = await File.ReadAllTextAsync(path);
        if (exactly)
        {
            Assert.Equal(golden, shape);
        }
        else
        {
            var served = shape.Split('\n').ToHashSet(StringComparer.Ordinal);
            Assert.All(golden.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains(line, served));
        }

        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool check metrics exited {exitCode}:\n{output}");
    }
}
