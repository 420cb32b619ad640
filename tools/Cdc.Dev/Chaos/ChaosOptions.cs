using Cdc.Common.Configuration;
using Cdc.Dev.Demo;

namespace Cdc.Dev.Chaos;

/// <summary>The flags of <c>cdc chaos</c>.</summary>
internal sealed record ChaosOptions
{
    public const string Usage = """
        usage: cdc chaos [options]

          --rate N              writer transactions per second on the primary during the run (default 300)
          --orders N            orders on the primary before the connector starts (default 2000)
          --rounds N            times the fault schedule is run (default 2; --short: 1)
          --gap S               seconds of plain load from one fault's recovery to the next fault, which also waits
                                until every store caught up (default 5; --short: 2)
          --short               the CI run: one round, one fault of each kind, short gaps
          --faults TEXT         only the faults whose kind contains TEXT (case-insensitive; repeatable), e.g.
                                --faults "retention gap" to reproduce one kind
          --database-prefix P   databases P_primary, P_risk, P_analytics, slot P_slot (default cdc_chaos)

        Runs the source connector and two sink workers as their own processes against PostgreSQL and the embedded
        Kafka, under a steady writer load, and injects on a schedule: sink workers killed with SIGKILL (also mid-batch),
        the source connector killed with SIGKILL, mock brokers down and up, a slow store, poison events, the
        PostgreSQL server restarted (CDC_ROOT/scripts/postgres.sh restart), a retention gap, Kafka losing its topics,
        a table created under load, a table joining the captured set, a truncate, an oversize row, a sink instance
        added and killed in its group (each of these found and healed by the pipeline itself). Then the load stops,
        the pipeline drains, and the reconciler compares every table of both stores with the primary row for row.
        Exit code 0 when no row is lost or wrong and only the poison was dead-lettered; 1 otherwise; 2 for bad options.
        PostgreSQL: CDC_POSTGRES (default Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres).
        """;

    public int Rate { get; init; } = 300;

    public int Orders { get; init; } = 2_000;

    public int Rounds { get; init; } = 2;

    public int GapSeconds { get; init; } = 5;

    /// <summary>One fault of each kind (the CI run), instead of the whole schedule per round.</summary>
    public bool OnePerKind { get; init; }

    public string DatabasePrefix { get; init; } = "cdc_chaos";

    /// <summary>Only the fault kinds containing one of these; empty = every kind.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];

    public string Postgres { get; init; } = DemoOptions.DefaultPostgres;

    /// <exception cref="ArgumentException">An unknown flag or a bad value; the message says which.</exception>
    public static ChaosOptions Parse(IReadOnlyList<string> args, string? postgres)
    {
        var options = new ChaosOptions { Postgres = string.IsNullOrWhiteSpace(postgres) ? DemoOptions.DefaultPostgres : postgres };
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--rate" => options with { Rate = FlagValues.Number(args, ref i, 1, 10_000) },
                "--orders" => options with { Orders = FlagValues.Number(args, ref i, 10, 1_000_000) },
                "--rounds" => options with { Rounds = FlagValues.Number(args, ref i, 1, 100) },
                "--gap" => options with { GapSeconds = FlagValues.Number(args, ref i, 1, 600) },
                "--short" => options with { Rounds = 1, GapSeconds = 2, OnePerKind = true },
                "--database-prefix" => options with { DatabasePrefix = DatabasePrefixFlag.Read(args, ref i) },
                "--faults" when i + 1 < args.Count && args[i + 1].Length > 0 => options with { Kinds = [.. options.Kinds, args[++i]] },
                "--faults" => throw new ArgumentException("--faults needs the text of a fault kind"),
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return options;
    }

    /// <summary>Whether the fault kind is run (<see cref="Kinds"/>).</summary>
    public bool Runs(string kind) => Kinds.Count == 0 || Kinds.Any(k => kind.Contains(k, StringComparison.OrdinalIgnoreCase));
}
