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
                return await CaptureHost.RunAsync(rest, stopping);
            case "reconcile":
                return await ReconcileCommand.RunAsync(rest, stopping);
            default:
                await Console.Error.WriteLineAsync($"cdc: unknown command '{args[0]}'\n{Usage}");
                return 2;
        }
    }
}
