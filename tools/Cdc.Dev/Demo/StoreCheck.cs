using Cdc.Reconciler;
using Cdc.Sink.Configuration;

namespace Cdc.Dev.Demo;

/// <summary>One subsystem's store compared with the primary by the reconciler, through the sink's own mapping, after
/// waiting for the store to reach the primary's position (the same run repairs when asked).</summary>
internal static class StoreCheck
{
    public static Task<ReconcileResult> RunAsync(LocalPipeline pipeline, Subsystem subsystem, RepairMode repair, TextWriter log, CancellationToken ct) =>
        RunAsync(pipeline.Primary.ConnectionString, subsystem.Database.ConnectionString, subsystem.Options!, pipeline.Slot, repair, log, ct);

    /// <param name="extraTables">Tables beyond the shop's (chaos creates some), <c>schema.table</c>.</param>
    public static Task<ReconcileResult> RunAsync(string primary, string store, SinkOptions sink, string slot, RepairMode repair, TextWriter log, CancellationToken ct, IReadOnlyList<string>? extraTables = null) =>
        ReconcileJob.RunAsync(
            new ReconcileOptions
            {
                Primary = primary,
                Store = store,
                Tables = [.. ShopSchema.Tables, .. extraTables ?? []],
                Repair = repair,
                Sink = sink,
                TopicPrefix = LocalPipeline.TopicPrefix,
                BootstrapServers = sink.Kafka.BootstrapServers,
                Slot = slot,
                SignalTable = ShopSchema.SignalTable,
            },
            log,
            ct);

    /// <summary>"yes", or what differs.</summary>
    public static string Summary(ReconcileResult result) =>
        result.Lagging ? "no (lagging)"
        : result.ExitCode == 0 ? "yes"
        : result.Drift > 0 ? $"no ({result.Tables.Sum(t => t.Missing):#,0} missing, {result.Tables.Sum(t => t.Extra):#,0} extra, {result.Tables.Sum(t => t.Divergent):#,0} different)"
        : $"no ({result.Error ?? string.Join("; ", result.Tables.Where(t => t.Refusal is not null).Select(t => $"{t.Table}: {t.Refusal}"))})";
}
