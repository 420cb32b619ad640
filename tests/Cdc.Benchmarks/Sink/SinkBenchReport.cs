using System.Globalization;
using System.Text;
using Cdc.Benchmarks.Support;
using Cdc.DevKit.Reports;

namespace Cdc.Benchmarks.Sink;

/// <summary>The measurements of one <c>cdc bench sink</c> run, and their table and RESULT line.</summary>
public sealed class SinkBenchReport(SinkBenchOptions options, ProducedTopic topic, string sinkWhere)
{
    public const double CopyGoal = 0.5;
    public const double PerRowGoal = 20;

    /// <summary>The default mode, tracking the transaction topic.</summary>
    public List<SinkRunResult> Sink { get; } = [];

    /// <summary><c>--consistency transaction</c>.</summary>
    public List<SinkRunResult> Transaction { get; } = [];

    /// <summary>The default mode with transaction tracking off.</summary>
    public List<SinkRunResult> Untracked { get; } = [];

    public double TransactionRate => Stats.Median(Transaction.Select(r => r.EventsPerSecond));

    public double UntrackedRate => Stats.Median(Untracked.Select(r => r.EventsPerSecond));

    public List<PerRowResult> PerRow { get; } = [];

    public List<CopyResult> Copy { get; } = [];

    public double SinkRate => Stats.Median(Sink.Select(r => r.EventsPerSecond));

    public double PerRowRate => Stats.Median(PerRow.Select(r => r.EventsPerSecond));

    public double CopyRate => Stats.Median(Copy.Select(r => r.RowsPerSecond));

    public double CopyRatio => SinkRate / CopyRate;

    public double PerRowRatio => SinkRate / PerRowRate;

    /// <summary>The largest peak over the runs: the figure a memory limit must allow for.</summary>
    public double PeakRssMb => Sink.Count == 0 ? double.NaN : Sink.Max(r => r.PeakRssBytes) / 1048576.0;

    public string Render()
    {
        var table = new TextTable("measure", "median", "runs", "unit", "notes");
        table.Add(
            "sink: Kafka -> PostgreSQL",
            Whole(SinkRate),
            string.Join(" ", Sink.Select(r => Whole(r.EventsPerSecond))),
            "events/s",
            $"{Whole(topic.Events)} events, guarded upserts + deletes + offsets in the store; {sinkWhere}");
        table.Add(
            "sink --consistency transaction",
            Whole(TransactionRate),
            string.Join(" ", Transaction.Select(r => Whole(r.EventsPerSecond))),
            "events/s",
            $"whole source transactions of {options.TransactionEvents} events, one store transaction each release, one lane");
        table.Add("transaction / default", Ratio(TransactionRate / SinkRate), "", "", "the cost of never showing part of a transaction");
        table.Add(
            "sink, tracking off",
            Whole(UntrackedRate),
            string.Join(" ", Untracked.Select(r => Whole(r.EventsPerSecond))),
            "events/s",
            "default mode, Transactions:Enabled=false (no transaction topic, no event rows)");
        table.Add("default / tracking off", Ratio(SinkRate / UntrackedRate), "", "", "the cost of tracking transactions");
        table.Add(
            "per-row upsert loop",
            Whole(PerRowRate),
            string.Join(" ", PerRow.Select(r => Whole(r.EventsPerSecond))),
            "events/s",
            $"first {Whole(PerRow.FirstOrDefault()?.Events ?? 0)} events, one autocommitted statement each");
        table.Add(
            "binary COPY, final rows",
            Whole(CopyRate),
            string.Join(" ", Copy.Select(r => Whole(r.RowsPerSecond))),
            "rows/s",
            $"{Whole(Copy.FirstOrDefault()?.Rows ?? 0)} rows into an empty table with its primary key");
        table.Add("sink / COPY", Ratio(CopyRatio), "", "", Goal(CopyRatio, CopyGoal));
        table.Add("sink / per-row", Ratio(PerRowRatio), "", "", Goal(PerRowRatio, PerRowGoal));
        table.Add(
            "sink peak RSS",
            Whole(PeakRssMb),
            string.Join(" ", Sink.Select(r => Whole(r.PeakRssBytes / 1048576.0))),
            "MB",
            "VmHWM, largest run reported");
        table.Add(
            "sink CPU per event",
            Stats.Median(Sink.Select(r => r.SinkCpuMicrosPerEvent)).ToString("0.0", CultureInfo.InvariantCulture),
            string.Join(" ", Sink.Select(r => r.SinkCpuMicrosPerEvent.ToString("0.0", CultureInfo.InvariantCulture))),
            "us",
            "user + system of the sink's process: hardly moved by other load on the machine");
        table.Add(
            "PostgreSQL CPU per event",
            Stats.Median(Sink.Select(r => r.StoreCpuMicrosPerEvent)).ToString("0.0", CultureInfo.InvariantCulture),
            string.Join(" ", Sink.Select(r => r.StoreCpuMicrosPerEvent.ToString("0.0", CultureInfo.InvariantCulture))),
            "us",
            "the sink's server backends");
        if (Sink.All(r => !double.IsNaN(r.KafkaCpuSeconds)))
        {
            table.Add(
                "mock Kafka CPU per event",
                Stats.Median(Sink.Select(r => r.KafkaCpuMicrosPerEvent)).ToString("0.0", CultureInfo.InvariantCulture),
                string.Join(" ", Sink.Select(r => r.KafkaCpuMicrosPerEvent.ToString("0.0", CultureInfo.InvariantCulture))),
                "us",
                "the benchmark's process, which hosts the brokers the sink fetches from");
        }

        table.Add(
            "sink startup",
            Stats.Median(Sink.Select(r => r.StartupSeconds)).ToString("0.00", CultureInfo.InvariantCulture),
            string.Join(" ", Sink.Select(r => r.StartupSeconds.ToString("0.00", CultureInfo.InvariantCulture))),
            "s",
            "launch -> partitions assigned; not in the rate");
        var text = new StringBuilder();
        text.AppendLine(table.ToString());
        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"RESULT bench-sink events_per_s={Math.Round(SinkRate):0} copy_ratio={CopyRatio:0.00} per_row_ratio={PerRowRatio:0.00} transaction_ratio={TransactionRate / SinkRate:0.00} tracking_ratio={SinkRate / UntrackedRate:0.00} peak_rss_mb={Math.Round(PeakRssMb):0}");
        return text.ToString();
    }

    /// <summary>The HTML report: the figures, throughput beside its baselines, and each sink run's progress.</summary>
    /// <param name="rendered">The console's table and RESULT line (<see cref="Render"/>).</param>
    public HtmlReport Html(string rendered)
    {
        var runs = Sink.Select((r, i) => (Name: $"run {i + 1}", r.Progress)).ToList();
        return new HtmlReport("cdc bench sink")
            .Figures(
                new ReportFigure("events-per-s", "sink, events/s (median)", Whole(SinkRate)),
                new ReportFigure("copy-ratio", "sink / binary COPY", Ratio(CopyRatio)),
                new ReportFigure("per-row-ratio", "sink / per-row upserts", Ratio(PerRowRatio)),
                new ReportFigure("peak-rss-mb", "sink peak RSS (MB)", Whole(PeakRssMb)),
                new ReportFigure("runs", "sink runs", Sink.Count.ToString(CultureInfo.InvariantCulture)))
            .Section("Throughput", $"Medians of {options.Repeat} runs: the sink (Kafka to PostgreSQL with guard and offsets), a per-row upsert loop, and binary COPY of the final rows (this machine's limit).")
            .Chart(new BarChart("Throughput beside its baselines", "events/s (COPY: rows/s)", [("sink", SinkRate), ("per-row upserts", PerRowRate), ("binary COPY", CopyRate)]))
            .Section("Lag over each run", $"{Whole(topic.Events)} events wait on the topic when the worker starts consuming: how many it has not applied yet, from its store's own offsets, four times a second.")
            .Chart(new LineChart("Events not yet applied", "seconds since the worker began consuming", "events behind",
                [.. runs.Select(r => new ChartSeries(r.Name, [.. r.Progress.Select(p => (p.Seconds, (double)(topic.Events - p.Applied)))]))]))
            .Chart(new LineChart("Throughput over each run", "seconds since the worker began consuming", "events/s",
                [.. runs.Select(r => new ChartSeries(r.Name, [.. r.Progress.Zip(r.Progress.Skip(1), (a, b) => ((a.Seconds + b.Seconds) / 2, (b.Applied - a.Applied) / Math.Max(1e-9, b.Seconds - a.Seconds)))]))]))
            .Section("As printed")
            .Preformatted(rendered);
    }

    /// <summary>The run's settings and machine, under the report's title.</summary>
    public string Subtitle() =>
        $"{TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {Environment.ProcessorCount} cores; {Whole(topic.Events)} events, {options.Repeat} runs, sink {sinkWhere}";

    public string Summary() =>
        $"goal sink >= {CopyGoal} x COPY: {(CopyRatio >= CopyGoal ? "met" : "NOT met")} ({Ratio(CopyRatio)}); goal sink >= {PerRowGoal} x per-row: {(PerRowRatio >= PerRowGoal ? "met" : "NOT met")} ({Ratio(PerRowRatio)}); {options.Repeat} repetition(s), medians";

    public static string Whole(double value) => double.IsNaN(value) ? "n/a" : value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "n/a" : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Goal(double value, double goal) =>
        double.IsNaN(value) ? "" : $"goal >= {goal.ToString(CultureInfo.InvariantCulture)}: {(value >= goal ? "met" : "NOT met")}";
}
