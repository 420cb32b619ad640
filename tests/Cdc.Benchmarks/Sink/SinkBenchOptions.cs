using Cdc.Common.Configuration;

namespace Cdc.Benchmarks.Sink;

/// <summary>The flags of <c>cdc bench sink</c>.</summary>
public sealed record SinkBenchOptions
{
    public const string Usage = """
        usage: cdc bench sink [options]

          --events N           change events produced beforehand (default 1000000)
          --keys K             distinct order ids they touch (default 100000)
          --repeat R           repetitions of each measure; the median is reported (default 3)
          --per-row-events N   events applied by the per-row loop, a prefix of the stream (default 50000)
          --batch-size N       the sink's --batch-size (default: the sink's own)
          --parallelism N      the sink's --parallelism (default: the sink's own, 2)
          --partitions N       topic partitions (default 192; raised when a partition would pass ~4 MB)
          --transaction-events N  events per source transaction, with BEGIN/END records on the transaction topic
                               (default 100); the sink runs in the default mode, in --consistency transaction, and
                               with tracking off, interleaved, each --repeat times
          --in-process         run the sink inside this process instead of a child 'cdc sink' process
          --profile            also time the sink's stages (decode, plan, apply) one batch at a time, in-process
          --seed N             workload seed (default 42)
          --format json|avro   json (default): the measures above, schemaless JSON. avro: the same workload as
                               Debezium AvroConverter writes it (Confluent framing, schemas in an in-process Schema
                               Registry, the embedded one) AND as JSON, each applied by the sink --repeat times and
                               decoded in-process; reports both and Avro/JSON (no per-row loop or COPY; --profile
                               profiles the stages of both formats)
          --report FILE        the HTML report: throughput beside the baselines, each run's lag and rate over time
                               (default: .artifacts/reports/bench-sink-<UTC time>.html in the repository; json only)

        PostgreSQL: CDC_POSTGRES (default Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres);
        the benchmark creates and drops its own databases there.
        """;

    public const string JsonFormat = "json";

    public const string AvroFormat = "avro";

    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres";

    public int Events { get; init; } = 1_000_000;

    public int Keys { get; init; } = 100_000;

    public int Repeat { get; init; } = 3;

    public int PerRowEvents { get; init; } = 50_000;

    public int? BatchSize { get; init; }

    public int? Parallelism { get; init; }

    public int Partitions { get; init; } = 192;

    /// <summary>Events per source transaction; the transaction topic's one partition must stay under the mock's ~5 MB.</summary>
    public int TransactionEvents { get; init; } = 100;

    public SinkProcessMode Mode { get; init; } = SinkProcessMode.Child;

    public bool Profile { get; init; }

    /// <summary>"json" or "avro" (which measures JSON beside it).</summary>
    public string Format { get; init; } = JsonFormat;

    public bool IsAvro => Format == AvroFormat;

    public int Seed { get; init; } = 42;

    /// <summary>Where the HTML report goes; null: <c>HtmlReport.DefaultPath</c>.</summary>
    public string? Report { get; init; }

    public string Postgres { get; init; } = DefaultPostgres;

    /// <exception cref="ArgumentException">An unknown flag or a bad value; the message says which.</exception>
    public static SinkBenchOptions Parse(IReadOnlyList<string> args, string? postgres)
    {
        var options = new SinkBenchOptions { Postgres = string.IsNullOrWhiteSpace(postgres) ? DefaultPostgres : postgres };
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            options = flag switch
            {
                "--events" => options with { Events = FlagValues.Number(args, ref i, 1, 50_000_000) },
                "--keys" => options with { Keys = FlagValues.Number(args, ref i, 1, 10_000_000) },
                "--repeat" => options with { Repeat = FlagValues.Number(args, ref i, 1, 100) },
                "--per-row-events" => options with { PerRowEvents = FlagValues.Number(args, ref i, 0, 50_000_000) },
                "--batch-size" => options with { BatchSize = FlagValues.Number(args, ref i, 1, 1_000_000) },
                "--parallelism" => options with { Parallelism = FlagValues.Number(args, ref i, 1, 64) },
                "--transaction-events" => options with { TransactionEvents = FlagValues.Number(args, ref i, 1, 1_000_000) },
                "--partitions" => options with { Partitions = FlagValues.Number(args, ref i, 1, 10_000) },
                "--seed" => options with { Seed = FlagValues.Number(args, ref i, 0, int.MaxValue) },
                "--in-process" => options with { Mode = SinkProcessMode.InProcess },
                "--profile" => options with { Profile = true },
                "--format" => options with { Format = FormatValue(args, ref i) },
                "--report" => options with { Report = FlagValues.Value(args, ref i) },
                _ => throw new ArgumentException($"unknown option '{flag}'"),
            };
        }

        return options with { PerRowEvents = Math.Min(options.PerRowEvents, options.Events) };
    }

    private static string FormatValue(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1] is not (JsonFormat or AvroFormat))
        {
            throw new ArgumentException($"option '--format' needs json or avro{(i + 1 < args.Count ? $", not '{args[i + 1]}'" : "")}");
        }

        return args[++i];
    }
}
