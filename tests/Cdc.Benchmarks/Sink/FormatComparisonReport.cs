using System.Globalization;
using System.Text;
using Cdc.Benchmarks.Support;

namespace Cdc.Benchmarks.Sink;

/// <summary>The measurements of one <c>cdc bench sink --format avro</c> run, per format, and their table and RESULT line.</summary>
public sealed class FormatComparisonReport(SinkBenchOptions options, ProducedTopic json, ProducedTopic avro, string sinkWhere)
{
    public List<SinkRunResult> JsonSink { get; } = [];

    public List<SinkRunResult> AvroSink { get; } = [];

    /// <summary>Microseconds per event, one per timed decode pass.</summary>
    public List<double> JsonDecode { get; } = [];

    public List<double> AvroDecode { get; } = [];

    public double JsonRate => Stats.Median(JsonSink.Select(r => r.EventsPerSecond));

    public double AvroRate => Stats.Median(AvroSink.Select(r => r.EventsPerSecond));

    /// <summary>Avro sink events/s over JSON sink events/s: above 1, Avro is applied faster.</summary>
    public double RateRatio => AvroRate / JsonRate;

    public double JsonDecodeMicros => Stats.Median(JsonDecode);

    public double AvroDecodeMicros => Stats.Median(AvroDecode);

    public string Render()
    {
        var table = new TextTable("measure", "JSON", "Avro", "Avro/JSON", "unit", "notes");
        table.Add(
            "sink: Kafka -> PostgreSQL",
            Whole(JsonRate),
            Whole(AvroRate),
            Ratio(RateRatio),
            "events/s",
            $"median of {options.Repeat}; {Whole(json.Events)} events, guarded upserts + deletes + offsets; {sinkWhere}");
        table.Add("  runs", Runs(JsonSink, r => Whole(r.EventsPerSecond)), Runs(AvroSink, r => Whole(r.EventsPerSecond)), "", "events/s", "in the order run: JSON 1, Avro 1, JSON 2, ...");
        table.Add(
            "decode (RecordDecoder alone)",
            Fixed(JsonDecodeMicros, "0.00"),
            Fixed(AvroDecodeMicros, "0.00"),
            Ratio(AvroDecodeMicros / JsonDecodeMicros),
            "us/event",
            $"median of {JsonDecode.Count} passes over the {Whole(json.Events)} records in memory, one thread; below 1: Avro decodes faster");
        table.Add("  as a rate", Whole(1e6 / JsonDecodeMicros), Whole(1e6 / AvroDecodeMicros), Ratio(JsonDecodeMicros / AvroDecodeMicros), "events/s", "one core decoding and nothing else");
        table.Add(
            "sink CPU per event",
            Fixed(Stats.Median(JsonSink.Select(r => r.SinkCpuMicrosPerEvent)), "0.0"),
            Fixed(Stats.Median(AvroSink.Select(r => r.SinkCpuMicrosPerEvent)), "0.0"),
            Ratio(Stats.Median(AvroSink.Select(r => r.SinkCpuMicrosPerEvent)) / Stats.Median(JsonSink.Select(r => r.SinkCpuMicrosPerEvent))),
            "us",
            "user + system of the sink's process (decode, plan, Kafka client, Npgsql)");
        table.Add(
            "PostgreSQL CPU per event",
            Fixed(Stats.Median(JsonSink.Select(r => r.StoreCpuMicrosPerEvent)), "0.0"),
            Fixed(Stats.Median(AvroSink.Select(r => r.StoreCpuMicrosPerEvent)), "0.0"),
            "",
            "us",
            "the sink's server backends: the same rows either way");
        table.Add("message size", json.AverageBytes.ToString("0", CultureInfo.InvariantCulture), avro.AverageBytes.ToString("0", CultureInfo.InvariantCulture), Ratio(avro.AverageBytes / json.AverageBytes), "B/event", "key + value");
        table.Add(
            "sink peak RSS",
            Whole(JsonSink.Count == 0 ? double.NaN : JsonSink.Max(r => r.PeakRssBytes) / 1048576.0),
            Whole(AvroSink.Count == 0 ? double.NaN : AvroSink.Max(r => r.PeakRssBytes) / 1048576.0),
            "",
            "MB",
            "VmHWM, largest run");
        table.Add(
            "sink startup",
            Fixed(Stats.Median(JsonSink.Select(r => r.StartupSeconds)), "0.00"),
            Fixed(Stats.Median(AvroSink.Select(r => r.StartupSeconds)), "0.00"),
            "",
            "s",
            "launch -> partitions assigned; not in the rate");
        var text = new StringBuilder();
        text.AppendLine(table.ToString());
        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"RESULT bench-sink-avro events_per_s={Math.Round(AvroRate):0} json_ratio={RateRatio:0.00}");
        return text.ToString();
    }

    public string Summary() =>
        $"Avro vs JSON: sink {Whole(AvroRate)} vs {Whole(JsonRate)} events/s ({Ratio(RateRatio)} x); decode {Fixed(AvroDecodeMicros, "0.00")} vs {Fixed(JsonDecodeMicros, "0.00")} us/event "
        + $"({Ratio(AvroDecodeMicros / JsonDecodeMicros)} x); {options.Repeat} repetition(s), medians; schemas served by the embedded Schema Registry";

    private static string Runs(List<SinkRunResult> runs, Func<SinkRunResult, string> format) => string.Join(" ", runs.Select(format));

    private static string Whole(double value) => SinkBenchReport.Whole(value);

    private static string Fixed(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "n/a" : value.ToString("0.00", CultureInfo.InvariantCulture);
}
