using Cdc.Capture;
using Cdc.Reconciler;
using Cdc.Reconciler.Heal;
using Cdc.Sink;
using Cdc.Sink.Configuration;
using Cdc.Sink.DeadLetters;
using Cdc.Sink.Transactions;

namespace Cdc.Cli;

/// <summary>The <c>cdc</c> command's subcommands; each is a thin call into the component that owns it.</summary>
internal static class Commands
{
    public const string Usage = """
        usage: cdc <command> [options]

          sink       run one subsystem's sink worker (--config, --bootstrap-servers, --group, --topics | --topic-pattern, --store, --metrics-port,
                     --primary CONN: also finish the heals of gaps in its stream); cdc sink --help
          capture    stream a PostgreSQL database into Kafka as Debezium change events (the .NET source connector); cdc capture --help
          reconcile  find rows that differ between the primary and a subsystem store, and repair them; cdc reconcile --help
          replay     send dead letters back to the topic they came from, once their cause is fixed; cdc replay --help
          txn        a source transaction's state in every subsystem (PENDING, PROCESSING n of m, COMPLETED, PARTIAL_FAILURE); cdc txn --help
          wait       wait until every subsystem has applied everything committed at or below an LSN (--lsn, --stores, --timeout); cdc wait --help
        """;

    public static readonly Dictionary<string, Func<string[], CancellationToken, Task<int>>> All = new()
    {
        ["sink"] = (args, stopping) => SinkHost.RunAsync(args, stopping, HealBesideAsync),
        ["capture"] = CaptureHost.RunAsync,
        ["reconcile"] = ReconcileCommand.RunAsync,
        ["replay"] = ReplayCommand.RunAsync,
        ["txn"] = TransactionCommands.RunTxnAsync,
        ["wait"] = TransactionCommands.RunWaitAsync,
    };

    /// <summary>
    /// With <c>--primary</c> the sink process also runs the heal worker for its own gaps (docs/design.md#no-silent-loss),
    /// so a plain kafka + capture + sink setup heals completely; without it a <c>cdc reconcile --every</c> does.
    /// </summary>
    private static Task HealBesideAsync(SinkOptions sink, CancellationToken stopping) =>
        sink.Heal.Primary is not { } primary
            ? Task.CompletedTask
            : new HealWorker(new ReconcileOptions { Primary = primary, Store = sink.Store, Sink = sink }, Console.Out).RunAsync(stopping);
}
