using System.Diagnostics;
using Cdc.Benchmarks.Sink;

namespace Cdc.Benchmarks.Reconcile;

/// <summary>A primary and a store database holding the same orders table (the store with the sink's version columns).</summary>
internal sealed class BenchTables : IAsyncDisposable
{
    private BenchTables(BenchDatabase primary, BenchDatabase store, int rows, double buildSeconds)
    {
        Primary = primary;
        Store = store;
        Rows = rows;
        BuildSeconds = buildSeconds;
    }

    public BenchDatabase Primary { get; }

    public BenchDatabase Store { get; }

    public int Rows { get; }

    public double BuildSeconds { get; private set; }

    public static async Task<BenchTables> CreateAsync(string admin, int rows, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var tables = new BenchTables(await BenchDatabase.CreateAsync(admin, "rcp", ct), await BenchDatabase.CreateAsync(admin, "rcs", ct), rows, 0);
        try
        {
            await Task.WhenAll(FillAsync(tables.Primary, rows, withVersion: false, ct), FillAsync(tables.Store, rows, withVersion: true, ct));
        }
        catch
        {
            await tables.DisposeAsync();
            throw;
        }

        tables.BuildSeconds = clock.Elapsed.TotalSeconds;
        return tables;
    }

    /// <summary>Removes, adds and changes rows in the store, spread evenly: a third of each kind. Returns how many.</summary>
    public async Task<int> InjectDriftAsync(int perMillion, CancellationToken ct)
    {
        var every = Math.Max(3, 1_000_000 / perMillion);
        await ExecuteAsync(Store, $"""
            DELETE FROM orders WHERE id % {every} = 1;
            UPDATE orders SET amount = amount + 1 WHERE id % {every} = 2;
            INSERT INTO orders (id, customer, amount, status, created, note, _cdc_commit_lsn, _cdc_event_lsn)
            SELECT {Rows} + g, 1, 1, 'ghost', now(), NULL, 1, 1 FROM generate_series(1, {Rows / every}) g
            """, ct);
        await ExecuteAsync(Store, "VACUUM ANALYZE orders", ct);
        return (int)(CountMatching(Rows, every, 1) + CountMatching(Rows, every, 2) + (Rows / every));
    }

    private static long CountMatching(int rows, int every, int remainder) => (rows - remainder) / every + (remainder <= rows ? 1 : 0);

    private static async Task FillAsync(BenchDatabase database, int rows, bool withVersion, CancellationToken ct)
    {
        var version = withVersion ? ", _cdc_commit_lsn bigint, _cdc_event_lsn bigint" : "";
        var versionValues = withVersion ? ", g * 10, g * 10 + 1" : "";
        await ExecuteAsync(database, $"""
            CREATE TABLE orders (id bigint PRIMARY KEY, customer int NOT NULL, amount numeric(12,2), status text, created timestamptz, note text{version});
            INSERT INTO orders SELECT g, g % 10000, (g % 100000) / 100.0, 'status ' || (g % 7), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
                CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END{versionValues}
            FROM generate_series(1, {rows}) g
            """, ct);
        await ExecuteAsync(database, "VACUUM (FREEZE, ANALYZE) orders", ct);
    }

    /// <summary>Without a command timeout: filling 10 million rows takes minutes.</summary>
    private static async Task ExecuteAsync(BenchDatabase database, string sql, CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Primary.DisposeAsync();
        await Store.DisposeAsync();
    }
}
