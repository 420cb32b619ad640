using Cdc.Sink.Configuration;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Support;

/// <summary>
/// One worker's world for an end-to-end test: a fresh topic on the mock cluster, a fresh database with the
/// <c>orders</c> table, the model that produces to the topic, and sink options pointing at both.
/// </summary>
internal sealed class SinkTestBed : IAsyncDisposable
{
    private SinkTestBed(SinkOptions options, StoreHarness store, OrdersModel model)
    {
        Options = options;
        Store = store;
        Model = model;
    }

    public SinkOptions Options { get; }

    public StoreHarness Store { get; }

    public OrdersModel Model { get; }

    public static async Task<SinkTestBed> CreateAsync(PostgresFixture postgres, KafkaFixture kafka, int partitions = 4)
    {
        var topic = kafka.CreateUniqueTopic("shop.public.orders", partitions);
        var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ExecuteAsync(OrdersModel.CreateTable);
        var options = TestSinkOptions.For(store.ConnectionString, kafka, topic, "sink");
        return new SinkTestBed(options, store, new OrdersModel(kafka, topic));
    }

    /// <summary>Waits until the store holds exactly the rows the primary would.</summary>
    public Task UntilInSyncAsync(TimeSpan timeout, string what = "the store to equal the primary") =>
        Wait.UntilAsync(async () => (await RowsOrEmptyAsync()).SequenceEqual(Model.ExpectedRows), timeout, what);

    /// <summary>The store's rows, or none while the server is unreachable (fault tests stop it).</summary>
    public async Task<List<string>> RowsOrEmptyAsync()
    {
        try
        {
            return await Store.RowsAsync(OrdersModel.SelectRows);
        }
        catch (Npgsql.NpgsqlException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        Model.Dispose();
        await Store.DisposeAsync();
    }
}
