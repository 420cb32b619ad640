using Cdc.Schemas.Model;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Store.Mapping;
using Cdc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Cdc.Sink.Tests.Support.Events;

namespace Cdc.Sink.Tests.Store;

public sealed class PlanPreparerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task PlanAsync_CatalogInvalidatedByAnotherLaneMeanwhile_NeverTakesTheTableForMissing()
    {
        // Regression: lanes share the catalog, and one lane's InvalidateAll after a failed batch made a table that
        // another lane had just loaded look missing, so that lane dead-lettered valid schemaless events.
        await using var store = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using (var create = store.CreateCommand("CREATE TABLE public.orders (id bigint PRIMARY KEY, status text, _cdc_commit_lsn bigint, _cdc_event_lsn bigint)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var router = new TableRouter(new SinkOptions());
        var catalog = new TableCatalog(store);
        var preparer = new PlanPreparer(router, new BatchPlanner(router), catalog, new SchemaManager(store), NullLogger.Instance);
        DecodedRecord[] records = [Change(ChangeOperation.Create, 1, (10, 11), ("status", "new"))];
        using var stop = new CancellationTokenSource();
        var invalidator = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                catalog.InvalidateAll();
            }
        });

        var plans = new List<BatchPlan>();
        for (var i = 0; i < 300; i++)
        {
            plans.Add(await preparer.PlanAsync(records, CancellationToken.None));
        }

        await stop.CancelAsync();
        await invalidator;
        Assert.All(plans, plan =>
        {
            Assert.Empty(plan.Failures);
            Assert.Empty(plan.SchemaChanges);
            Assert.Single(plan.Tables);
        });
    }
}
