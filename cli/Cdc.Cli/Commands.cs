using Cdc.Capture;
using Cdc.Reconciler;
using Cdc.Sink;

namespace Cdc.Cli;

/// <summary>The <c>cdc</c> command's subcommands; each is a thin call into the component that owns it.</summary>
internal static class Commands
{
    private const string Usage = """
        usage: cdc <command> [options]

          sink       run one subsystem's sink worker (--config, --bootstrap-servers, --group, --topics | --topic-pattern, --store, --metrics-port)
          capture    stream a PostgreSQL database into Kafka as Debezium change events (the .NET source connector); cdc capture --help
          reconcile  find rows that differ between the primary and a subsystem store, and repair them; cdc reconcile --help
          kafka      run librdkafka's mock Kafka cluster (--brokers N, --topics a,b --partitions P, --control-port)
          demo       the main job on this machine: writers -> primary -> .NET source connector -> mock Kafka -> two sinks -> two stores,
                     drift repaired by the reconciler, every store compared with the primary (--orders, --rate, --duration, --flips,
                     --database-prefix, --metrics-port, --keep-running); cdc demo --help
          chaos      the pipeline under faults (SIGKILLs, broker and server outages, a slow store, poison), then compared row for row; cdc chaos --help
          bench      benchmarks: bench sink | capture | reconcile | e2e; cdc bench --help
        """;

    public static async Task<int> RunAsync(string[] args, CancellationToken stopping)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "sink":
                return await SinkHost.RunAsync(rest, stopping);
            case "capture":
                return await Capture.CaptureHost.RunAsync(rest, stopping);
            case "reconcile":
                return await Reconciler.ReconcileCommand.RunAsync(rest, stopping);
            case "kafka":
                return await Common.Kafka.KafkaHostCommand.RunAsync(rest, stopping);
            case "demo":
                return await Demo.DemoCommand.RunAsync(rest, stopping);
            case "chaos":
                return await Chaos.ChaosCommand.RunAsync(rest, stopping);
            case "bench" when rest is ["e2e", ..]:
                return await Demo.EndToEndBenchmark.RunAsync(rest[1..], stopping);
            case "bench":
                return await Benchmarks.BenchCommand.RunAsync(rest, stopping);
            default:
                await Console.Error.WriteLineAsync($"cdc: unknown command '{args[0]}'\n{Usage}");
                return 2;
        }
    }
}
