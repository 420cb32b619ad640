using System.Diagnostics;
using Cdc.Benchmarks.Support;
using Cdc.DevKit.Kafka;
using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Json;
using Cdc.Schemas.Registry;
using Cdc.Sink.Planning;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// <c>cdc bench sink --format avro</c>: the same workload produced twice, as schemaless JSON and as Debezium
/// AvroConverter Avro (schemas in the embedded Schema Registry, <c>./cdc registry</c>'s), each into its own mock cluster under
/// the same topic name. Measured per format: the sink applying all of it into a fresh database (--repeat runs,
/// alternating JSON and Avro, each verified against the primary's rows), and the sink's decode stage alone over the
/// same records in memory. Ends with <c>RESULT bench-sink-avro events_per_s=N json_ratio=R</c>.
/// </summary>
public static class FormatComparison
{
    public static async Task RunAsync(SinkBenchOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var total = Stopwatch.GetTimestamp();
        var topicName = SinkBenchmark.Topic;
        var runner = SinkBenchmark.Runner(options, loggers);
        await SinkBenchmark.PrintServerAsync(options, ct);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: ct);
        Console.WriteLine(
            $"Schema Registry: the embedded registry (./cdc registry's, Cdc.Registry) at {registry.Url}, in this process; not Confluent's registry");
        using var client = new ConfluentSchemaRegistry(registry.Url);
        var avro = await OrderEventAvro.RegisterAsync(client, topicName, ct);
        Console.WriteLine(
            $"  registered {TopicNameStrategy.KeySubject(topicName)} as id {avro.KeySchemaId} and {TopicNameStrategy.ValueSubject(topicName)} as id {avro.ValueSchemaId} "
            + $"(id int64, status string, qty int32, amount Decimal(12,2), updated_at ZonedTimestamp, note string); {AvscCheck(avro)}");

        using var jsonCluster = MockCluster.Create(brokers: 3);
        using var avroCluster = MockCluster.Create(brokers: 3);
        var partitions = WorkloadProducer.PartitionsFor(options.Events, options.Partitions);
        Console.WriteLine($"producing {Num(options.Events)} events over {Num(options.Keys)} keys into {topicName} ({partitions} partitions), once per format, each into its own mock cluster ...");
        var jsonWorkload = new OrderWorkload(options.Keys, options.Seed);
        var jsonTopic = WorkloadProducer.Produce(jsonCluster, topicName, partitions, jsonWorkload, options.Events);
        var avroWorkload = new OrderWorkload(options.Keys, options.Seed);
        var avroTopic = WorkloadProducer.Produce(
            avroCluster, topicName, partitions, avroWorkload, options.Events, change => new Message<byte[], byte[]> { Key = avro.Key(change.Row.Id), Value = avro.Value(change) });
        var expected = OrdersTable.Expected(jsonWorkload.Final);
        if (OrdersTable.Expected(avroWorkload.Final) != expected)
        {
            throw new InvalidOperationException("the Avro workload's final rows differ from the JSON workload's: same seed, same changes expected");
        }

        Console.WriteLine(
            $"  JSON: {jsonTopic.AverageBytes:0} B/event, produced in {jsonTopic.Seconds:0.0} s; Avro: {avroTopic.AverageBytes:0} B/event, produced in {avroTopic.Seconds:0.0} s; "
            + $"{SinkBenchmark.Percent(jsonTopic.Creates, jsonTopic.Events)} creates, {SinkBenchmark.Percent(jsonTopic.Updates, jsonTopic.Events)} updates, "
            + $"{SinkBenchmark.Percent(jsonTopic.Deletes, jsonTopic.Events)} deletes; {Num(jsonWorkload.Final.Count)} rows at the end");

        var report = new FormatComparisonReport(options, jsonTopic, avroTopic, runner.Description);
        var maxRecordBytes = SinkBenchmark.SinkDefaults.MaxRecordBytes;
        Console.WriteLine($"decode: the sink's RecordDecoder over all {Num(options.Events)} records in memory, one thread, {options.Repeat} timed pass(es) after one untimed");
        report.JsonDecode.AddRange(await DecodeAsync("JSON (DebeziumJsonDecoder)", jsonCluster.BootstrapServers, jsonTopic, new RecordDecoder(new DebeziumJsonDecoder(), maxRecordBytes), options, ct));
        report.AvroDecode.AddRange(await DecodeAsync("Avro (DebeziumAvroDecoder)", avroCluster.BootstrapServers, avroTopic, new RecordDecoder(new DebeziumAvroDecoder(client), maxRecordBytes), options, ct));

        Console.WriteLine($"sink: {runner.Description}, batch size {SinkBenchmark.Setting(options.BatchSize, SinkBenchmark.SinkDefaults.MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))}, parallelism {SinkBenchmark.Setting(options.Parallelism, SinkBenchmark.SinkDefaults.Parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture))}; JSON and Avro runs alternate");
        for (var run = 1; run <= options.Repeat; run++)
        {
            var json = await ServerRestarts.RetryAsync(
                $"JSON sink run {run}", () => SinkBenchmark.SinkOnceAsync(options, jsonCluster.BootstrapServers, jsonTopic, runner, expected, run, ct), ct);
            report.JsonSink.Add(json);
            PrintRun("JSON", run, options.Repeat, json, expected);
            var avroRun = await ServerRestarts.RetryAsync(
                $"Avro sink run {run}", () => SinkBenchmark.SinkOnceAsync(options, avroCluster.BootstrapServers, avroTopic, runner, expected, run, ct, registry.Url), ct);
            report.AvroSink.Add(avroRun);
            PrintRun("Avro", run, options.Repeat, avroRun, expected);
        }

        if (options.Profile)
        {
            var batchSize = options.BatchSize ?? SinkBenchmark.SinkDefaults.MaxBatchSize;
            Console.WriteLine();
            Console.WriteLine($"profile: the sink's stages per format, in-process, one batch of {Num(batchSize)} at a time on one connection (not the throughput figure)");
            var jsonTimes = await ProfileAsync(options, jsonCluster.BootstrapServers, jsonTopic, batchSize, null, loggers, ct);
            var avroTimes = await ProfileAsync(options, avroCluster.BootstrapServers, avroTopic, batchSize, new DebeziumAvroDecoder(client), loggers, ct);
            var table = new TextTable("stage", "JSON us/event", "Avro us/event", "Avro/JSON", "JSON events/s alone", "Avro events/s alone");
            void Row(string stage, double json, double avroSeconds) => table.Add(
                stage,
                (json * 1e6 / jsonTimes.Events).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                (avroSeconds * 1e6 / avroTimes.Events).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                (avroSeconds / avroTimes.Events / (json / jsonTimes.Events)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                Num(jsonTimes.Events / json),
                Num(avroTimes.Events / avroSeconds));
            Row("decode", jsonTimes.Decode, avroTimes.Decode);
            Row("plan (PlanPreparer)", jsonTimes.Plan, avroTimes.Plan);
            Row("apply (BatchApplier: COPY, merge, offsets, commit)", jsonTimes.Apply, avroTimes.Apply);
            Row("decode + plan + apply", jsonTimes.Total, avroTimes.Total);
            Console.WriteLine(table);
            var bytes = new TextTable("stage", "JSON B/event allocated", "Avro B/event allocated");
            void Bytes(string stage, long json, long avro) => bytes.Add(stage, Num(json / (double)jsonTimes.Events), Num(avro / (double)avroTimes.Events));
            Bytes("decode", jsonTimes.DecodeBytes, avroTimes.DecodeBytes);
            Bytes("plan (PlanPreparer)", jsonTimes.PlanBytes, avroTimes.PlanBytes);
            Bytes("apply (BatchApplier)", jsonTimes.ApplyBytes, avroTimes.ApplyBytes);
            Bytes("decode + plan + apply", jsonTimes.TotalBytes, avroTimes.TotalBytes);
            Console.WriteLine(bytes);
        }

        Console.WriteLine();
        Console.WriteLine(report.Summary());
        Console.WriteLine($"total {Stopwatch.GetElapsedTime(total).TotalSeconds:0} s; the embedded Schema Registry served {registry.RequestCount} requests");
        Console.WriteLine();
        Console.WriteLine(report.Render());
    }

    private static async Task<StageTimes> ProfileAsync(
        SinkBenchOptions options, string bootstrapServers, ProducedTopic topic, int batchSize, Cdc.Schemas.IChangeEventDecoder? decoder, ILoggerFactory loggers, CancellationToken ct)
    {
        await using var database = await SinkBenchmark.FreshOrdersDatabaseAsync(options, "profile", ct);
        return await SinkStageProfile.RunAsync(bootstrapServers, topic, database, batchSize, loggers.CreateLogger("profile"), ct, decoder);
    }

    private static async Task<List<double>> DecodeAsync(string format, string bootstrapServers, ProducedTopic topic, RecordDecoder decoder, SinkBenchOptions options, CancellationToken ct)
    {
        var records = SinkStageProfile.Consume(bootstrapServers, topic, new StageTimes());
        var micros = await DecodeTiming.MicrosPerEventAsync(records, decoder, options.Repeat, options.BatchSize ?? SinkBenchmark.SinkDefaults.MaxBatchSize, ct);
        Console.WriteLine(
            $"  {format}: {string.Join(" ", micros.Select(m => m.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} us/event "
            + $"= {Num(1e6 / Stats.Median(micros))} events/s (median)");
        return micros;
    }

    private static void PrintRun(string format, int run, int runs, SinkRunResult result, (long Rows, string Md5) expected) =>
        Console.WriteLine(
            $"  {format} sink run {run}/{runs}: {Num(result.Events)} events in {result.Seconds:0.00} s = {Num(result.EventsPerSecond)} events/s "
            + $"(startup {result.StartupSeconds:0.00} s, peak RSS {result.PeakRssBytes / 1048576.0:0} MB, CPU/event: sink {result.SinkCpuMicrosPerEvent:0.0} us, "
            + $"PostgreSQL {result.StoreCpuMicrosPerEvent:0.0} us); store verified: {Num(expected.Rows)} rows, md5 {expected.Md5[..Math.Min(8, expected.Md5.Length)]}");

    // The registered schemas against the checked-in .avsc files for this table, when the tree is at hand.
    private static string AvscCheck(OrderEventAvro avro)
    {
        var directory = FindAvroDirectory();
        if (directory is null)
        {
            return "schemas/avro/*.avsc not found to compare";
        }

        var key = Same(Path.Combine(directory, "shop.public.orders-key.avsc"), avro.KeyAvro);
        var value = Same(Path.Combine(directory, "shop.public.orders-value.avsc"), avro.ValueAvro);
        return key && value ? "both identical to schemas/avro/shop.public.orders-{key,value}.avsc" : $"DIFFERENT from schemas/avro/*.avsc (key {(key ? "same" : "differs")}, value {(value ? "same" : "differs")})";
    }

    private static bool Same(string path, string registered)
    {
        try
        {
            return global::Avro.Schema.Parse(File.ReadAllText(path)).ToString() == global::Avro.Schema.Parse(registered).ToString();
        }
        catch (Exception e) when (e is IOException or global::Avro.AvroException)
        {
            return false;
        }
    }

    private static string? FindAvroDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "schemas", "avro");
                if (File.Exists(Path.Combine(candidate, "shop.public.orders-value.avsc")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string Num(double value) => SinkBenchReport.Whole(value);
}
