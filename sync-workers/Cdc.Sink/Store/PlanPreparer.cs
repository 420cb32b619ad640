using Cdc.Sink.Planning;
using Cdc.Sink.Worker;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;
using Microsoft.Extensions.Logging;

namespace Cdc.Sink.Store;

/// <summary>
/// Plans a batch against the store's current tables: loads their metadata, gives them the sink's version columns,
/// runs the DDL the planner asks for (create table, add columns) and plans again until nothing is missing.
/// </summary>
internal sealed class PlanPreparer(TableRouter router, BatchPlanner planner, TableCatalog catalog, SchemaManager schemas, ILogger logger)
{
    private const int MaxRounds = 4;

    public TableCatalog Catalog => catalog;

    /// <summary>
    /// An existing table's columns changed for events of a connector that does not re-read the table by itself: its rows must
    /// be re-read from the primary (target, the record with the new type, the reason). The worker records it as a heal,
    /// which the heal signaller sends through the connector's Kafka signal channel.
    /// </summary>
    public event Action<TableTarget, SinkRecord, string>? ResnapshotNeeded;

    public async Task<BatchPlan> PlanAsync(IReadOnlyList<DecodedRecord> records, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            // The plan reads its own snapshot: another lane may invalidate the shared catalog at any moment, and a
            // table that is merely not cached must never look like a table that does not exist.
            var tables = new Dictionary<TableTarget, TableInfo?>();
            foreach (var target in Targets(records))
            {
                tables[target] = await LoadAsync(target, cancellationToken);
            }

            var plan = planner.Plan(records, tables.GetValueOrDefault);
            if (plan.SchemaChanges.Count == 0 || round == MaxRounds)
            {
                return plan;
            }

            foreach (var change in plan.SchemaChanges)
            {
                var columns = string.Join(", ", change.Columns.Select(c => c.Column).Concat(change.Widened.Select(c => $"{c.Column} to {c.Type}")).Concat(change.Retyped.Select(c => $"{c.Column} retyped to {c.To}")));
                logger.LogInformation("schema change on {Table}: {Change} ({Columns})", change.Target.QualifiedName, change.CreateTable ? "create table" : "add, widen or retype columns", columns);
                foreach (var (column, from, to, _) in change.Retyped)
                {
                    Log.ColumnRetyped(logger, change.Target.QualifiedName, column, from, to);
                }

                await schemas.ApplyAsync(change, cancellationToken);
                catalog.Invalidate(change.Target);
                if (change.Trigger is { } trigger)
                {
                    var what = change.CreateTable ? "created from a live change, not a snapshot" : $"columns {columns} changed";
                    Log.ResnapshotAsked(logger, change.Target.QualifiedName, what);
                    ResnapshotNeeded?.Invoke(change.Target, trigger, what);
                }
            }
        }
    }

    /// <summary>The batch's target tables; a record of the same topic and source table as the one before adds none.</summary>
    private List<TableTarget> Targets(IReadOnlyList<DecodedRecord> records)
    {
        var targets = new List<TableTarget>();
        string? topic = null;
        string? table = null;
        foreach (var record in records)
        {
            if (record.Change?.Event is not { } ev ||
                (topic is not null && string.Equals(topic, record.Record.Topic, StringComparison.Ordinal) && string.Equals(table, ev.Source.Table, StringComparison.Ordinal)) ||
                TableRouter.IsSideTopic(record.Record.Topic))
            {
                continue;
            }

            topic = record.Record.Topic;
            table = ev.Source.Table;
            var target = router.Resolve(topic, table);
            if (!targets.Contains(target))
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    private async Task<TableInfo?> LoadAsync(TableTarget target, CancellationToken cancellationToken)
    {
        if (catalog.TryGet(target, out var cached))
        {
            return cached;
        }

        var info = await catalog.LoadAsync(target, cancellationToken);
        if (info is not null && (!info.HasVersionColumns || (target.DeleteMode == DeleteMode.Soft && !info.HasDeletedColumn)))
        {
            logger.LogInformation("schema change on {Table}: adding the sink's version columns", target.QualifiedName);
            await schemas.EnsureSinkColumnsAsync(target, cancellationToken);
            info = await catalog.LoadAsync(target, cancellationToken);
        }

        return info;
    }
}
