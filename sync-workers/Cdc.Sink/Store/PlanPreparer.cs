using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Microsoft.Extensions.Logging;

namespace Cdc.Sink.Store;

/// <summary>
/// Plans a batch against the store's current tables: loads their metadata, gives them the sink's version columns,
/// runs the DDL the planner asks for (create table, add columns) and plans again until nothing is missing.
/// </summary>
public sealed class PlanPreparer(TableRouter router, BatchPlanner planner, TableCatalog catalog, SchemaManager schemas, ILogger logger)
{
    private const int MaxRounds = 4;

    public TableCatalog Catalog => catalog;

    public async Task<BatchPlan> PlanAsync(IReadOnlyList<DecodedRecord> records, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            foreach (var target in Targets(records))
            {
                await LoadAsync(target, cancellationToken);
            }

            var plan = planner.Plan(records, catalog.Get);
            if (plan.SchemaChanges.Count == 0 || round == MaxRounds)
            {
                return plan;
            }

            foreach (var change in plan.SchemaChanges)
            {
                var columns = string.Join(", ", change.Columns.Select(c => c.Column));
                logger.LogInformation("schema change on {Table}: {Change} ({Columns})", change.Target.QualifiedName, change.CreateTable ? "create table" : "add columns", columns);
                await schemas.ApplyAsync(change, cancellationToken);
                catalog.Invalidate(change.Target);
            }
        }
    }

    private IEnumerable<TableTarget> Targets(IReadOnlyList<DecodedRecord> records) =>
        records
            .Where(r => r.Change?.Event is not null && !TableRouter.IsSideTopic(r.Record.Topic))
            .Select(r => router.Resolve(r.Record.Topic, r.Change!.Event!.Source.Table))
            .Distinct();

    private async Task LoadAsync(TableTarget target, CancellationToken cancellationToken)
    {
        if (catalog.IsLoaded(target))
        {
            return;
        }

        await catalog.LoadAsync(target, cancellationToken);
        if (catalog.Get(target) is { } info
            && (!info.HasVersionColumns || (target.DeleteMode == DeleteMode.Soft && !info.HasDeletedColumn)))
        {
            logger.LogInformation("schema change on {Table}: adding the sink's version columns", target.QualifiedName);
            await schemas.EnsureSinkColumnsAsync(target, cancellationToken);
            await catalog.LoadAsync(target, cancellationToken);
        }
    }
}
