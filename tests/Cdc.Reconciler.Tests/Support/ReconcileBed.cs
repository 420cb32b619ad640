using Cdc.Sink.Store;
using Cdc.Store.Bookkeeping;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Reconciler.Tests.Support;

/// <summary>A primary database and a store database (with the sink's metadata tables), and options pointing at both.</summary>
internal sealed class ReconcileBed : IAsyncDisposable
{
    private ReconcileBed(string primary, string store)
    {
        PrimaryConnection = primary;
        StoreConnection = store;
        Primary = NpgsqlDataSource.Create(primary);
        Store = NpgsqlDataSource.Create(store);
    }

    public string PrimaryConnection { get; }

    public string StoreConnection { get; }

    public NpgsqlDataSource Primary { get; }

    public NpgsqlDataSource Store { get; }

    public static async Task<ReconcileBed> CreateAsync(PostgresFixture postgres)
    {
        var bed = new ReconcileBed(await postgres.CreateDatabaseAsync(), await postgres.CreateDatabaseAsync());
        await new MetadataTables("cdc").EnsureAsync(bed.Store, CancellationToken.None);
        return bed;
    }

    /// <summary>Options for a quick run: short grace, idle and wait (no Kafka: offsets are idle).</summary>
    public ReconcileOptions Options(params string[] tables) => new()
    {
        Primary = PrimaryConnection,
        Store = StoreConnection,
        Tables = [.. tables],
        Grace = TimeSpan.FromMilliseconds(300),
        Idle = TimeSpan.FromMilliseconds(200),
        Wait = TimeSpan.FromSeconds(10),
        VerifyTimeout = TimeSpan.Zero,
    };

    public Task OnPrimaryAsync(string sql, params object?[] values) => ExecuteAsync(Primary, sql, values);

    public Task OnStoreAsync(string sql, params object?[] values) => ExecuteAsync(Store, sql, values);

    public static async Task ExecuteAsync(NpgsqlDataSource source, string sql, params object?[] values)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync();
    }

    public static Task<List<string>> RowsAsync(NpgsqlDataSource source, string sql) => DatabaseRows.ReadAsync(source, sql);

    public async ValueTask DisposeAsync()
    {
        await Primary.DisposeAsync();
        await Store.DisposeAsync();
    }
}
