using Cdc.Benchmarks;
using Cdc.Dev.Chaos;
using Cdc.Dev.Demo;
using Cdc.DevKit.Kafka;

namespace Cdc.Dev;

/// <summary>
/// The <c>cdc-dev</c> command's subcommands: the tooling that runs the product on one machine. <c>./cdc</c> sends
/// these commands here (<see cref="DevKit.BuiltCommands.DevCommands"/>) and every other one to the product's <c>cdc</c>.
/// </summary>
internal static class DevCommands
{
    private const string Usage = """
        usage: ./cdc <command> [options]   (cdc-dev: the dev tooling; the product's commands are sink, capture, reconcile)

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
            case "kafka":
                return await KafkaHostCommand.RunAsync(rest, stopping);
            case "demo":
                return await DemoCommand.RunAsync(rest, stopping);
            case "chaos":
                return await ChaosCommand.RunAsync(rest, stopping);
            case "bench" when rest is ["e2e", ..]:
                return await EndToEndBenchmark.RunAsync(rest[1..], stopping);
            case "bench":
                return await BenchCommand.RunAsync(rest, stopping);
            default:
                await Console.Error.WriteLineAsync($"cdc-dev: unknown command '{args[0]}'\n{Usage}");
                return 2;
        }
    }
}
