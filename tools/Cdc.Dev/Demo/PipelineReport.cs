using System.Globalization;
using Cdc.DevKit.Reports;

namespace Cdc.Dev.Demo;

/// <summary>
/// The HTML report of a run of the local pipeline (<c>cdc demo</c>, <c>cdc bench e2e</c>): the flips' figures, lag per
/// subsystem over time, the flip latency distribution, throughput over time, and each flip.
/// </summary>
internal static class PipelineReport
{
    public static HtmlReport Build(string title, PipelineSampler sampler, FlipLatencies flips, IEnumerable<ReportFigure> more, string? console)
    {
        var samples = sampler.Samples;
        var marks = sampler.Marks;
        var report = new HtmlReport(title).Figures(
        [
            new ReportFigure("flip-count", "flips timed", flips.Both.Count.ToString(CultureInfo.InvariantCulture)),
            new ReportFigure("p50-ms", "flip p50, both stores (ms)", FlipLatencies.Percentile(flips.Both, 50)),
            new ReportFigure("p95-ms", "flip p95, both stores (ms)", FlipLatencies.Percentile(flips.Both, 95)),
            new ReportFigure("p99-ms", "flip p99, both stores (ms)", flips.Incomplete > 0 ? "-" : FlipLatencies.Percentile(flips.Both, 99)),
            new ReportFigure("kafka-p99-ms", "of which commit to Kafka, p99 (ms)", FlipLatencies.Percentile(flips.Kafka, 99)),
            .. more,
        ]);

        report.Section("Lag per subsystem", "Events on the captured topics that the subsystem's store has not applied yet, twice a second, read from the slot, the topics' watermarks and each store's own offsets. Dashed lines: the run's phases.")
            .Chart(new LineChart(
                "Lag (events on the topics, not yet in the store)",
                "seconds since the pipeline started",
                "events behind",
                [.. sampler.Names.Select((name, i) => new ChartSeries(name, [.. samples.Select(s => (s.Seconds, (double)Math.Max(0, s.Produced - s.Applied[i])))]))])
            { Marks = marks });

        report.Section("Flip latency", "Each flip: one UPDATE of many orders in one transaction, timed from the primary's commit until a store shows every changed row; 'both stores' is the later of the two, the seeds' measure. Percentiles by nearest rank.")
            .Chart(new Histogram(
                "Flip latency distribution",
                "milliseconds",
                [("both stores", flips.Both), .. sampler.Names.Select(name => (name, flips.Of(name))), ("commit to Kafka", flips.Kafka)]))
            .Table(
                ["flip", .. sampler.Names.Select(n => $"{n} ms"), "both stores ms", "commit to Kafka ms"],
                Enumerable.Range(0, flips.Both.Count).Select(i => (IReadOnlyList<string>)
                [
                    (i + 1).ToString(CultureInfo.InvariantCulture),
                    .. sampler.Names.Select(n => Milliseconds(flips.Of(n), i)),
                    Milliseconds(flips.Both, i),
                    Milliseconds(flips.Kafka, i),
                ]));

        report.Section("Throughput", "Events applied per second by each subsystem's store, events the source connector put on the topics per second, and the writers' transactions per second, between consecutive looks.")
            .Chart(new LineChart(
                "Throughput",
                "seconds since the pipeline started",
                "per second",
                [
                    .. sampler.Names.Select((name, i) => new ChartSeries($"{name} applied", Rate(samples, s => s.Applied[i]))),
                    new ChartSeries("captured", Rate(samples, s => s.Produced)),
                    new ChartSeries("writer transactions", Rate(samples, s => s.Transactions)),
                ])
            { Marks = marks });

        if (console is not null)
        {
            report.Section("As printed").Preformatted(console);
        }

        return report;
    }

    private static string Milliseconds(IReadOnlyList<double> values, int i) =>
        i < values.Count ? values[i].ToString("0", CultureInfo.InvariantCulture) : "-";

    private static List<(double X, double Y)> Rate(IReadOnlyList<PipelineSample> samples, Func<PipelineSample, long> count) =>
        [.. samples.Zip(samples.Skip(1), (a, b) => ((a.Seconds + b.Seconds) / 2, b.Seconds > a.Seconds ? (count(b) - count(a)) / (b.Seconds - a.Seconds) : 0))];
}
