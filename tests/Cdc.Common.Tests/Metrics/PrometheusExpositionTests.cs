using System.Diagnostics.Metrics;
using Cdc.Common.Metrics;

namespace Cdc.Common.Tests.Metrics;

public sealed class PrometheusExpositionTests
{
    [Fact]
    public async Task Render_CounterWithTags_HelpTypeAndEscapedLabels()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<long>("cdc.sink.events", description: "Events applied.\nPer table.");

        counter.Add(3, new KeyValuePair<string, object?>("table", "a \"quoted\" \\ back\nline"), new("db.namespace", "app"));

        Assert.Equal(
            [
                "# HELP cdc_sink_events_total Events applied.\\nPer table.",
                "# TYPE cdc_sink_events_total counter",
                "cdc_sink_events_total{db_namespace=\"app\",table=\"a \\\"quoted\\\" \\\\ back\\nline\"} 3",
            ],
            (await scope.LinesAsync()));
    }

    [Fact]
    public async Task Render_HistogramWithAdvice_CumulativeBucketsSumAndCount()
    {
        using var scope = new MeterScope();
        var histogram = scope.Meter.CreateHistogram<double>(
            "cdc.sink.batch.duration", unit: "s", description: "Batch time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });

        foreach (var value in new[] { 0.05, 0.1, 0.5, 5, 50 })
        {
            histogram.Record(value, new KeyValuePair<string, object?>("topic", "t"));
        }

        Assert.Equivalent(
            new[]
            {
                "# HELP cdc_sink_batch_duration_seconds Batch time.",
                "# TYPE cdc_sink_batch_duration_seconds histogram",
                "cdc_sink_batch_duration_seconds_bucket{topic=\"t\",le=\"0.1\"} 2",
                "cdc_sink_batch_duration_seconds_bucket{topic=\"t\",le=\"1\"} 3",
                "cdc_sink_batch_duration_seconds_bucket{topic=\"t\",le=\"10\"} 4",
                "cdc_sink_batch_duration_seconds_bucket{topic=\"t\",le=\"+Inf\"} 5",
                "cdc_sink_batch_duration_seconds_sum{topic=\"t\"} 55.65",
                "cdc_sink_batch_duration_seconds_count{topic=\"t\"} 5",
            },
            await scope.LinesAsync(),
            strict: true);
    }

    [Fact]
    public async Task Render_HistogramWithoutAdvice_DefaultBucketsByUnit()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateHistogram<double>("cdc.op.duration", unit: "s").Record(0.2);
        scope.Meter.CreateHistogram<long>("cdc.op.size", unit: "By").Record(5000);
        scope.Meter.CreateHistogram<int>("cdc.op.rows", unit: "{row}").Record(7);

        var lines = (await scope.LinesAsync());

        Assert.Equal(
            ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"],
            Buckets(lines, "cdc_op_duration_seconds"));
        Assert.Equal(
            ["256", "1024", "4096", "16384", "65536", "262144", "1048576", "4194304", "16777216", "67108864", "+Inf"],
            Buckets(lines, "cdc_op_size_bytes"));
        Assert.Contains("cdc_op_rows_bucket{le=\"10\"} 1", lines);
        Assert.Contains("cdc_op_rows_bucket{le=\"5\"} 0", lines);
    }

    [Fact]
    public async Task Render_SameTagsInAnyOrderOrType_OneSeries()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<int>("cdc.requests");

        counter.Add(1, new("a", 1), new("b", "x"));
        counter.Add(2, new("b", "x"), new("a", 1));
        counter.Add(4, new("a", "1"), new("b", "x"));

        Assert.Equal("cdc_requests_total{a=\"1\",b=\"x\"} 7", Assert.Single((await scope.LinesAsync()), l => !l.StartsWith('#')));
    }

    [Fact]
    public async Task Render_DifferentLabelSets_OneTypeLinePerFamily()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<long>("cdc.events");

        counter.Add(1);
        counter.Add(1, new KeyValuePair<string, object?>("x", "1"));
        counter.Add(1, new KeyValuePair<string, object?>("y", "2"), new("z", "3"));

        var lines = (await scope.LinesAsync());
        Assert.Single(lines, l => l.StartsWith("# TYPE", StringComparison.Ordinal));
        Assert.Equal(
            ["cdc_events_total 1", "cdc_events_total{x=\"1\"} 1", "cdc_events_total{y=\"2\",z=\"3\"} 1"],
            lines.Where(l => !l.StartsWith('#')));
    }

    [Fact]
    public async Task Render_GaugesAndObservables_TypedAndValued()
    {
        using var scope = new MeterScope();
        var inFlight = scope.Meter.CreateUpDownCounter<int>("cdc.sink.in_flight");
        var last = scope.Meter.CreateGauge<double>("cdc.sink.last_lsn");
        scope.Meter.CreateObservableGauge("cdc.sink.lag", () => new Measurement<long>(12, new KeyValuePair<string, object?>("partition", 3)), unit: "{event}");
        scope.Meter.CreateObservableCounter("cdc.source.sent", () => 100L, unit: "By");

        inFlight.Add(5);
        inFlight.Add(-2);
        last.Record(1);
        last.Record(9.5);

        var lines = (await scope.LinesAsync());
        Assert.Contains("# TYPE cdc_sink_in_flight gauge", lines);
        Assert.Contains("cdc_sink_in_flight 3", lines);
        Assert.Contains("# TYPE cdc_sink_last_lsn gauge", lines);
        Assert.Contains("cdc_sink_last_lsn 9.5", lines);
        Assert.Contains("# TYPE cdc_sink_lag gauge", lines);
        Assert.Contains("cdc_sink_lag{partition=\"3\"} 12", lines);
        Assert.Contains("# TYPE cdc_source_sent_bytes_total counter", lines);
        Assert.Contains("cdc_source_sent_bytes_total 100", lines);
    }

    [Fact]
    public async Task Render_ObservableSeriesNoLongerReported_Dropped()
    {
        using var scope = new MeterScope();
        var partitions = new List<int> { 1, 2 };
        scope.Meter.CreateObservableGauge("cdc.lag", () => partitions.Select(p => new Measurement<int>(p * 10, new KeyValuePair<string, object?>("p", p))).ToArray());
        Assert.Equal(2, (await scope.LinesAsync()).Count(l => l.StartsWith("cdc_lag{", StringComparison.Ordinal)));

        partitions.Remove(1);

        Assert.Equal(["cdc_lag{p=\"2\"} 20"], (await scope.LinesAsync()).Where(l => !l.StartsWith('#')));
    }

    [Fact]
    public async Task Render_ObservableCallbackThrows_OtherInstrumentsStillRendered()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateObservableGauge("cdc.broken", new Func<int>(() => throw new InvalidOperationException("boom")));
        scope.Meter.CreateObservableGauge("cdc.healthy", () => 1);
        scope.Meter.CreateCounter<int>("cdc.plain").Add(1);

        var lines = (await scope.LinesAsync());

        Assert.Contains("cdc_healthy 1", lines);
        Assert.Contains("cdc_plain_total 1", lines);
        Assert.DoesNotContain(lines, l => l.Contains("cdc_broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Record_ConcurrentThreads_NoLostUpdates()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<long>("cdc.parallel");
        var histogram = scope.Meter.CreateHistogram<double>("cdc.parallel.duration", unit: "s");
        const int threads = 8, perThread = 20_000;

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("shard", i % 4));
                histogram.Record(0.001);
            }
        })));

        var lines = (await scope.LinesAsync());
        Assert.Equal(
            Enumerable.Range(0, 4).Select(s => $"cdc_parallel_total{{shard=\"{s}\"}} {threads * perThread / 4}"),
            lines.Where(l => l.StartsWith("cdc_parallel_total", StringComparison.Ordinal)));
        Assert.Contains($"cdc_parallel_duration_seconds_count {threads * perThread}", lines);
    }

    [Fact]
    public async Task Render_DefaultFilter_TakesCdcNpgsqlAndPollyMetersOnly()
    {
        var suffix = Guid.NewGuid().ToString("N");
        using var cdc = new Meter($"Cdc.Tests.{suffix}");
        using var npgsql = new Meter("Npgsql");
        using var polly = new Meter("Polly");
        using var other = new Meter($"Other.{suffix}");
        using var exposition = new PrometheusExposition();
        cdc.CreateCounter<int>($"cdc.mine.{suffix}").Add(1);
        npgsql.CreateCounter<int>($"db.client.test.{suffix}").Add(1);
        polly.CreateCounter<int>($"resilience.polly.test.{suffix}").Add(1);
        other.CreateCounter<int>($"other.test.{suffix}").Add(1);

        var text = await exposition.RenderAsync();

        Assert.Contains($"cdc_mine_{suffix}_total 1", text, StringComparison.Ordinal);
        Assert.Contains($"db_client_test_{suffix}_total 1", text, StringComparison.Ordinal);
        Assert.Contains($"resilience_polly_test_{suffix}_total 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"other_test_{suffix}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NameClashOfDifferentTypes_BothKeptUnderDistinctNames()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateCounter<int>("cdc.things").Add(1);
        scope.Meter.CreateObservableCounter("cdc.things", () => 5);

        var samples = (await scope.LinesAsync()).Where(l => !l.StartsWith('#')).ToArray();

        Assert.Equivalent(new[] { "cdc_things_2_total 5", "cdc_things_total 1" }, samples, strict: true);
    }

    [Fact]
    public async Task Render_MeterDisposed_ItsSeriesRemoved()
    {
        var scope = new MeterScope();
        scope.Meter.CreateCounter<int>("cdc.gone").Add(1);
        Assert.Contains("cdc_gone_total 1", (await scope.LinesAsync()));

        scope.Meter.Dispose();

        var after = await scope.LinesAsync();
        Assert.True(!after.Any(l => !l.StartsWith('#')), string.Join("\n", after));
        scope.Exposition.Dispose();
    }

    [Fact]
    public async Task Record_LabelledSeriesOfDisposedMeter_BackWithTheNextMeter()
    {
        var name = $"Cdc.Tests.{Guid.NewGuid():N}";
        using var exposition = new PrometheusExposition(m => m.Name == name);
        using (var first = new Meter(name))
        {
            first.CreateCounter<int>("cdc.comeback").Add(1, new KeyValuePair<string, object?>("table", "t"));
        }

        using var second = new Meter(name);
        second.CreateCounter<int>("cdc.comeback").Add(2, new KeyValuePair<string, object?>("table", "t"));

        var samples = (await exposition.RenderAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'));
        Assert.Equal("cdc_comeback_total{table=\"t\"} 2", Assert.Single(samples));
    }

    private static string[] Buckets(string[] lines, string name) =>
        lines.Where(l => l.StartsWith(name + "_bucket", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..l.IndexOf("\"}", StringComparison.Ordinal)])
            .ToArray();
}
