using Cdc.Common.Configuration;

namespace Cdc.Benchmarks.Capture;

/// <summary>Options of <c>cdc bench capture</c>.</summary>
internal sealed record CaptureBenchOptions
{
    public const string Usage = """
        usage: cdc bench capture [options]: changes per second from PostgreSQL's WAL into the mock Kafka cluster through the
        .NET source connector (in-process), and lag from each transaction's commit to Kafka's acknowledgement.
          --rows N        rows of the bulk inserts (default 50000), inserted 1,000 per statement
          --updates N     rows changed by the bulk updates (default 50000), 1,000 per statement
          --big-runs N    runs of the 5,000-row single-statement update (default 10)
          --no-schemas    JsonConverter schemas.enable=false (payload only) instead of the default true
          --report FILE   the HTML report: changes/s, commit-to-ack lag over time and its distribution
                          (default: .artifacts/reports/bench-capture-<UTC time>.html in the repository)
        PostgreSQL: CDC_POSTGRES (default Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres).
        Last line: RESULT bench-capture changes_per_s=N p99_lag_ms=M (p99 of the 5,000-row update's commit-to-ack).
        """;

    public string Postgres { get; init; } = "Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres";

    public int Rows { get; init; } = 50_000;

    public int Updates { get; init; } = 50_000;

    public int BigRuns { get; init; } = 10;

    public bool JsonSchemas { get; init; } = true;

    /// <summary>Where the HTML report goes; null: <c>HtmlReport.DefaultPath</c>.</summary>
    public string? Report { get; init; }

    /// <exception cref="ArgumentException">A bad option.</exception>
    public static CaptureBenchOptions Parse(IReadOnlyList<string> args)
    {
        var postgres = Environment.GetEnvironmentVariable("CDC_POSTGRES");
        var options = new CaptureBenchOptions { Postgres = string.IsNullOrWhiteSpace(postgres) ? new CaptureBenchOptions().Postgres : postgres };
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--rows" => options with { Rows = FlagValues.Number(args, ref i, 1_000, 10_000_000) / 1_000 * 1_000 },
                "--updates" => options with { Updates = FlagValues.Number(args, ref i, 1_000, 10_000_000) / 1_000 * 1_000 },
                "--no-schemas" => options with { JsonSchemas = false },
                "--big-runs" => options with { BigRuns = FlagValues.Number(args, ref i, 1, 1_000) },
                "--report" => options with { Report = FlagValues.Value(args, ref i) },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return options;
    }
}
