using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Mapping;
using Cdc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cdc.Sink.Tests.Support;

/// <summary>Plans and applies batches straight into a real PostgreSQL database, without Kafka.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly PlanPreparer _preparer;
    private readonly BatchApplier _applier;

    private StoreHarness(string connectionString, SinkOptions options)
    {
        ConnectionString = connectionString;
        Store = NpgsqlDataSource.Create(connectionString);
        Metadata = new MetadataTables(options.MetadataSchema);
        var router = new TableRouter(options);
        _preparer = new PlanPreparer(router, new BatchPlanner(router), new TableCatalog(Store), new SchemaManager(Store), NullLogger.Instance);
        _applier = new BatchApplier(Metadata, "test-group");
    }

    public NpgsqlDataSource Store { get; }

    /// <summary>With credentials (the data source's own string has them removed).</summary>
    public string ConnectionString { get; }

    public MetadataTables Metadata { get; }

    public static async Task<StoreHarness> CreateAsync(string connectionString, SinkOptions? options = null)
    {
        var harness = new StoreHarness(connectionString, options ?? new SinkOptions());
        await harness.Metadata.EnsureAsync(harness.Store, CancellationToken.None);
        return harness;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Store.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public Task<List<string>> RowsAsync(string sql) => DatabaseRows.ReadAsync(Store, sql);

    /// <summary>Plans the records (creating tables and columns as the worker would) and applies them in one transaction.</summary>
    public async Task<BatchPlan> ApplyAsync(params DecodedRecord[] records)
    {
        _preparer.Catalog.InvalidateAll();
        var plan = await _preparer.PlanAsync(records, CancellationToken.None);
        await using var connection = new StoreConnection(await Store.OpenConnectionAsync());
        await _applier.ApplyAsync(connection, plan, CancellationToken.None);
        return plan;
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
