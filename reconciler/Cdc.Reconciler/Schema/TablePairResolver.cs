using System.Security.Cryptography;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;
using Npgsql;

namespace Cdc.Reconciler.Schema;

/// <summary>
/// Maps a primary table onto its store table through the sink's own mapping (<see cref="TableRouter"/>: renamed table
/// and columns, excluded columns, delete mode), both read by <see cref="StoreCatalog"/> with one key rule, and decides
/// which columns compare. A table is refused only when its rows cannot be matched (no key, no store table, keys that
/// differ); a column that cannot be compared is skipped with its reason and the rest of the table is compared.
/// </summary>
internal sealed class TablePairResolver(NpgsqlDataSource primary, NpgsqlDataSource store, TableRouter router, string topicPrefix)
{
    private readonly long _hashSeed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long))) & long.MaxValue;

    public async Task<(TablePair? Pair, string? Refusal)> ResolveAsync(TableName name, CancellationToken cancellationToken)
    {
        var source = await StoreCatalog.ReadAsync(primary, name.Schema, name.Table, cancellationToken);
        if (source is null)
        {
            return (null, $"table {name} does not exist on the primary");
        }

        if (source.KeyColumns.Count == 0)
        {
            return (null, $"table {name} has neither a primary key nor a unique index of NOT NULL columns on the primary: rows cannot be matched");
        }

        var target = router.Resolve($"{topicPrefix}.{name.Schema}.{name.Table}", name.Table);
        var storeName = new TableName(target.Schema, target.Table);
        var sink = await StoreCatalog.ReadAsync(store, target.Schema, target.Table, cancellationToken);
        if (sink is null)
        {
            return (null, $"store table {storeName} (the sink's target of {name}) does not exist");
        }

        var columns = new List<ColumnPair>();
        var skipped = new List<string>();
        var keyRefusals = new List<string>();
        var ordered = source.KeyColumns.Select(k => source.Find(k)!).Concat(source.Columns.Where(c => !source.KeyColumns.Contains(c.Name)));
        foreach (var column in ordered)
        {
            var isKey = source.KeyColumns.Contains(column.Name);
            if (target.TargetColumn(column.Name, isKey) is not { } targetName)
            {
                continue;
            }

            if (SinkColumns.IsReserved(targetName))
            {
                return (null, SinkColumns.ReservedNameRefusal(name.ToString(), column.Name, targetName));
            }

            var (pair, reason) = Pair(column, sink.Find(targetName), storeName, targetName, isKey);
            if (pair is not null)
            {
                columns.Add(pair);
            }
            else
            {
                (isKey ? keyRefusals : skipped).Add(reason!);
            }
        }

        var storeKeys = columns.Where(c => c.IsKey).Select(c => c.Store.Name).ToList();
        if (keyRefusals.Count == 0 && !sink.KeyColumns.Order(StringComparer.Ordinal).SequenceEqual(storeKeys.Order(StringComparer.Ordinal)))
        {
            keyRefusals.Add(sink.KeyColumns.Count == 0
                ? $"store table {storeName} has no key (the sink appends to a table without one), the primary is keyed by ({string.Join(", ", storeKeys)})"
                : $"store table {storeName} has key ({string.Join(", ", sink.KeyColumns)}), not the primary's ({string.Join(", ", storeKeys)})");
        }

        return keyRefusals.Count > 0 ? (null, $"{name}: {string.Join("; ", keyRefusals)}") : (new TablePair(source, sink, target, columns, skipped) { HashSeed = _hashSeed }, null);
    }

    private static (ColumnPair? Pair, string? Reason) Pair(TableColumn column, TableColumn? storeColumn, TableName storeName, string targetName, bool isKey)
    {
        if (storeColumn is null)
        {
            return (null, $"store table {storeName} lacks column {targetName} (primary {column.Name})");
        }

        return CanonicalText.For(column, storeColumn, out var refusal) is { } texts
            ? (new ColumnPair(column, storeColumn, texts.Primary, texts.Store, isKey), null)
            : (null, refusal);
    }
}
