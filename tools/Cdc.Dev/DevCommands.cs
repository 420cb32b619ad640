using Cdc.Benchmarks;
using Cdc.Common.Hosting;
using Cdc.Dev.Chaos;
using Cdc.Dev.Demo;
using Cdc.DevKit.Kafka;
using Cdc.Registry;

namespace Cdc.Dev;

/// <summary>
/// The <c>cdc-dev</c> command's subcommands: the tooling that runs the product on one machine. <c>./cdc</c> sends
/// these commands here (<see cref="DevKit.BuiltCommands.DevCommands"/>) and every other one to the product's <c>cdc</c>.
/// </summary>
internal static class DevCommands
{
    public const string Usage = """
        usage: ./cdc <command> [options]   (cdc-dev: the dev tooling; the product's commands are sink, capture, reconcile)

          kafka      run librdkafka's mock Kafka cluster (--brokers N, --topics a,b --partitions P, --control-port)
          registry   run a Schema Registry for this machine (--port 8081, --file cdc-registry.json); cdc registry --help
          demo       the main job on this machine: writers -> primary -> .NET source connector -> mock Kafka -> two sinks -> two stores,
                     drift repaired by the reconciler, every store compared with the primary (--orders, --rate, --duration, --flips,
                     --database-prefix, --metrics-port, --keep-running); cdc demo --help
          chaos      the pipeline under faults (SIGKILLs, broker and server outages, a slow store, poison), then compared row for row; cdc chaos --help
          bench      benchmarks: bench sink | capture | reconcile | e2e; cdc bench --help
        """;

    /// <summary>Each command; the operator's problems (a wrong CDC_POSTGRES, a port in use...) end any of them with one
    /// line and exit code 2 (<see cref="OperatorErrors.GuardAsync"/>).</summary>
    public static readonly Dictionary<string, Func<string[], CancellationToken, Task<int>>> All = new()
    {
        ["kafka"] = Guarded("cdc kafka", KafkaHostCommand.RunAsync),
        ["registry"] = Guarded("cdc registry", RegistryCommand.RunAsync),
        ["demo"] = Guarded("cdc demo", DemoCommand.RunAsync),
        ["chaos"] = Guarded("cdc chaos", ChaosCommand.RunAsync),
        ["bench"] = Guarded("cdc bench", (args, ct) => args is ["e2e", .. var rest] ? EndToEndBenchmark.RunAsync(rest, ct) : BenchCommand.RunAsync(args, ct), named: true),
    };

    /// <param name="named">The first argument names a subcommand (<c>cdc bench sink</c>), which the error line names too.</param>
    private static Func<string[], CancellationToken, Task<int>> Guarded(string name, Func<string[], CancellationToken, Task<int>> command, bool named = false) =>
        (args, ct) => OperatorErrors.GuardAsync(named && args is [var sub, ..] ? $"{name} {sub}" : name, Console.Error, () => command(args, ct));
}
