using System.Collections.Concurrent;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;
using Npgsql;

namespace Cdc.Sink.Store;

/// <summary>Target tables' metadata as <see cref="StoreCatalog"/> reads it, cached. Invalidated after DDL or an apply error.</summary>
internal sealed class TableCatalog(NpgsqlDataSource store)
{
    private readonly ConcurrentDictionary<(string Schema, string Table), TableInfo?> _tables = new();

    /// <summary>The cached metadata, if cached; <paramref name="info"/> is null for a table known not to exist.</summary>
    public bool TryGet(TableTarget target, out TableInfo? info) => _tables.TryGetValue((target.Schema, target.Table), out info);

    public void Invalidate(TableTarget target) => _tables.TryRemove((target.Schema, target.Table), out _);

    public void InvalidateAll() => _tables.Clear();

    /// <summary>Reads the table's metadata from the store and caches it; null when the table does not exist.</summary>
    public async Task<TableInfo?> LoadAsync(TableTarget target, CancellationToken cancellationToken)
    {
        var info = await StoreCatalog.ReadAsync(store, target.Schema, target.Table, cancellationToken);
        _tables[(target.Schema, target.Table)] = info;
        return info;
    }
}
