using Cdc.Common.Configuration;

namespace Cdc.Dev.Demo;

/// <summary>The flags of <c>cdc demo</c>.</summary>
internal sealed record DemoOptions
{
    public const string Usage = """
        usage: cdc demo [options]

          --orders N            orders (with items) on the primary before the connector starts: its initial snapshot (default 5000)
          --rate N              writer transactions per second on the primary: orders created, amended, cancelled, deleted (default 1000)
          --duration S          seconds of writers (default 10)
          --flips N             times one UPDATE moves --flip-orders orders to a new status, each timed (default 3)
          --flip-orders N       orders each of those UPDATEs moves (default 5000; fewer when fewer are live)
          --database-prefix P   the primary is the database P_primary, the stores P_risk and P_analytics, recreated each run;
                                the replication slot is P_slot (default cdc_demo)
          --metrics-port P      /metrics of the source connector on P, of the risk sink on P+1, of the analytics sink on P+2
                                (default: three free ports)
          --format json|avro    how the change events travel: JsonConverter's JSON with schemas (default), or Avro as Debezium's
                                AvroConverter writes it, schemas in the embedded Schema Registry (./cdc registry's, in this process)
          --keep-running        after the result, leave Kafka, the connector, both sinks and /metrics up until Ctrl-C
          --seed N              workload seed (default 7)
          --report FILE         the HTML report: charts of lag, flip latency and throughput (default:
                                .artifacts/reports/demo-<UTC time>.html in the repository)

        PostgreSQL: CDC_POSTGRES (default Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres).
        Exit code 0 when both stores equal the primary (after the injected drift is repaired) and no event was dead-lettered, 1 when not (or on failure),
        2 for bad options.
        """;

    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres";

    public int Orders { get; init; } = 5_000;

    public int Rate { get; init; } = 1_000;

    public int DurationSeconds { get; init; } = 10;

    public int Flips { get; init; } = 3;

    public int FlipOrders { get; init; } = 5_000;

    public string DatabasePrefix { get; init; } = "cdc_demo";

    public int MetricsPort { get; init; }

    public bool KeepRunning { get; init; }

    /// <summary><c>json</c> or <c>avro</c>.</summary>
    public string Format { get; init; } = "json";

    public bool IsAvro => Format == "avro";

    public int Seed { get; init; } = 7;

    public string Postgres { get; init; } = DefaultPostgres;

    /// <summary>Where the HTML report goes; null: <c>HtmlReport.DefaultPath</c>.</summary>
    public string? Report { get; init; }

    /// <exception cref="ArgumentException">An unknown flag or a bad value; the message says which.</exception>
    public static DemoOptions Parse(IReadOnlyList<string> args, string? postgres, DemoOptions? defaults = null)
    {
        var options = (defaults ?? new DemoOptions()) with { Postgres = string.IsNullOrWhiteSpace(postgres) ? DefaultPostgres : postgres };
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            options = flag switch
            {
                "--orders" => options with { Orders = FlagValues.Number(args, ref i, 1, 1_000_000) },
                "--rate" => options with { Rate = FlagValues.Number(args, ref i, 1, 100_000) },
                "--duration" => options with { DurationSeconds = FlagValues.Number(args, ref i, 0, 3_600) },
                "--flips" => options with { Flips = FlagValues.Number(args, ref i, 0, 1_000) },
                "--flip-orders" => options with { FlipOrders = FlagValues.Number(args, ref i, 1, 1_000_000) },
                "--database-prefix" => options with { DatabasePrefix = DatabasePrefixFlag.Read(args, ref i) },
                "--metrics-port" => options with { MetricsPort = FlagValues.Number(args, ref i, 1, 65_533) },
                "--keep-running" => options with { KeepRunning = true },
                "--format" => options with { Format = FlagValues.Value(args, ref i) switch
                {
                    "json" => "json",
                    "avro" => "avro",
                    var other => throw new ArgumentException($"option '--format' takes json or avro, not '{other}'"),
                } },
                "--seed" => options with { Seed = FlagValues.Number(args, ref i, 0, int.MaxValue) },
                "--report" => options with { Report = FlagValues.Value(args, ref i) },
                _ => throw new ArgumentException($"unknown option '{flag}'"),
            };
        }

        return options;
    }
}
