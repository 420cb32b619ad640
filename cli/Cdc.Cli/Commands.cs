using Cdc.Capture;
using Cdc.Reconciler;
using Cdc.Sink;
using Cdc.Sink.DeadLetters;

namespace Cdc.Cli;

/// <summary>The <c>cdc</c> command's subcommands; each is a thin call into the component that owns it.</summary>
internal static class Commands
{
    public const string Usage = """
        usage: cdc <command> [options]

          sink       run one subsystem's sink worker (--config, --bootstrap-servers, --group, --topics | --topic-pattern, --store, --metrics-port); cdc sink --help
          capture    stream a PostgreSQL database into Kafka as Debezium change events (the .NET source connector); cdc capture --help
          reconcile  find rows that differ between the primary and a subsystem store, and repair them; cdc reconcile --help
          replay     send dead letters back to the topic they came from, once their cause is fixed; cdc replay --help
        """;

    public static readonly Dictionary<string, Func<string[], CancellationToken, Task<int>>> All = new()
    {
        ["sink"] = SinkHost.RunAsync,
        ["capture"] = CaptureHost.RunAsync,
        ["reconcile"] = ReconcileCommand.RunAsync,
        ["replay"] = ReplayCommand.RunAsync,
    };
}
