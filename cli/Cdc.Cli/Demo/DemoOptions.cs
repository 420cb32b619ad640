using System.Text.RegularExpressions;
using Cdc.Common.Configuration;

namespace Cdc.Cli.Demo;

/// <summary>The flags of <c>cdc demo</c>.</summary>
internal sealed partial record DemoOptions
{
    public const string Usage = """
        usage: cdc demo [options]

          --orders N            orders the writer creates before the steady stream (default 5000)
          --rate N              changes per second in the steady stream: orders created, amended, cancelled (default 2000)
          --duration S          seconds of steady stream (default 10)
          --flips N             times one UPDATE moves --flip-orders orders to a new status, each timed (default 3)
          --flip-orders N       orders each of those UPDATEs moves (default 5000; fewer when fewer are live)
          --database-prefix P   the stores are the databases P_risk and P_analytics, recreated each run (default cdc_demo)
          --metrics-port P      /metrics of the risk sink on P, of the analytics sink on P+1 (default: two free ports)
          --keep-running        after the result, leave Kafka, both sinks and /metrics up until Ctrl-C
          --seed N              workload seed (default 7)

        PostgreSQL: CDC_POSTGRES (default Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres).
        Exit code 0 when both stores equal the primary and no event was dead-lettered, 1 when not (or on failure),
        2 for bad options.
        """;

    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres";

    public int Orders { get; init; } = 5_000;

    public int Rate { get; init; } = 2_000;

    public int DurationSeconds { get; init; } = 10;

    public int Flips { get; init; } = 3;

    public int FlipOrders { get; init; } = 5_000;

    public string DatabasePrefix { get; init; } = "cdc_demo";

    public int MetricsPort { get; init; }

    public bool KeepRunning { get; init; }

    public int Seed { get; init; } = 7;

    public string Postgres { get; init; } = DefaultPostgres;

    /// <summary>Distinct order ids the workload uses: room for creates beside the initial orders.</summary>
    public int Keys => Math.Max(2, Orders * 2);

    /// <summary>Events the run produces at most (sizes the topic).</summary>
    public long PlannedEvents => Orders + ((long)Rate * DurationSeconds) + ((long)Flips * FlipOrders);

    /// <exception cref="ArgumentException">An unknown flag or a bad value; the message says which.</exception>
    public static DemoOptions Parse(IReadOnlyList<string> args, string? postgres)
    {
        var options = new DemoOptions { Postgres = string.IsNullOrWhiteSpace(postgres) ? DefaultPostgres : postgres };
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            options = flag switch
            {
                "--orders" => options with { Orders = FlagValues.Number(args, ref i, 1, 1_000_000) },
                "--rate" => options with { Rate = FlagValues.Number(args, ref i, 1, 200_000) },
                "--duration" => options with { DurationSeconds = FlagValues.Number(args, ref i, 0, 3_600) },
                "--flips" => options with { Flips = FlagValues.Number(args, ref i, 0, 1_000) },
                "--flip-orders" => options with { FlipOrders = FlagValues.Number(args, ref i, 1, 1_000_000) },
                "--database-prefix" => options with { DatabasePrefix = Prefix(args, ref i) },
                "--metrics-port" => options with { MetricsPort = FlagValues.Number(args, ref i, 1, 65_534) },
                "--keep-running" => options with { KeepRunning = true },
                "--seed" => options with { Seed = FlagValues.Number(args, ref i, 0, int.MaxValue) },
                _ => throw new ArgumentException($"unknown option '{flag}'"),
            };
        }

        return options;
    }

    private static string Prefix(IReadOnlyList<string> args, ref int i)
    {
        var value = FlagValues.Value(args, ref i);
        return PrefixPattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"option '--database-prefix' needs 1 to 40 of [a-z0-9_], starting with a letter, not '{value}'");
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}
