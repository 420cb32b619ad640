using Cdc.Benchmarks.Capture;
using Cdc.Benchmarks.Reconcile;
using Cdc.Benchmarks.Sink;

namespace Cdc.Benchmarks;

/// <summary>
/// <c>cdc bench ...</c>: the project's benchmarks (docs/design.md#benchmarks-the-measures-that-matter). Never timed tests.
/// </summary>
public static class BenchCommand
{
    private const string Usage = """
        usage: cdc bench <benchmark> [options]

          sink       change events applied per second by the sink worker (Kafka -> PostgreSQL, with guard and offsets),
                     beside a per-row upsert loop and binary COPY of the same rows; cdc bench sink --help
          capture    changes per second from WAL into Kafka, with lag; cdc bench capture --help
          reconcile  rows compared per second and rows transferred, beside a naive full comparison; cdc bench reconcile --help
          e2e        the seeds' 5,000-order UPDATE, primary commit to every subsystem store, p50/p95/p99; cdc bench e2e --help
        """;

    /// <returns>0 when the benchmark ran (whether or not its goal was met), 2 for bad arguments, 1 when it failed.</returns>
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "sink":
                return await SinkBenchmark.RunAsync(args[1..], ct);
            case "capture":
                return await CaptureBenchmark.RunAsync(args[1..], ct);
            case "reconcile":
                return await ReconcileBenchmark.RunAsync(args[1..], ct);
            default:
                await Console.Error.WriteLineAsync($"cdc bench: unknown benchmark '{args[0]}' (sink, capture, reconcile, e2e; cdc bench --help)");
                return 2;
        }
    }
}
