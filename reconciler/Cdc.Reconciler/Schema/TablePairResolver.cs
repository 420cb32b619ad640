using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Npgsql;

namespace Cdc.Reconciler.Schema;

/// <summary>
/// Maps a primary table onto its store table through the sink's own mapping (<see cref="TableRouter"/>: renamed table
/// and columns, excluded columns, delete mode) and decides which columns compare, or refuses with a reason.
/// </summary>
internal sealed class TablePairResolver(NpgsqlDataSource primary, NpgsqlDataSource store, TableRouter router, string topicPrefix)
{
    public async Task<(TablePair? Pair, string? Refusal)> ResolveAsync(TableName name, CancellationToken cancellationToken)
    {
        var source = await CatalogReader.ReadAsync(primary, name, cancellationToken);
        if (source is null)
        {
            return (null, $"table {name} does not exist on the primary");
        }

        if (source.KeyColumns.Count == 0)
        {
            return (null, $"table {name} has no primary key on the primary: rows cannot be matched");
        }

        var target = router.Resolve($"{topicPrefix}.{name.Schema}.{name.Table}", name.Table);
        var storeName = new TableName(target.Schema, target.Table);
        var sink = await CatalogReader.ReadAsync(store, storeName, cancellationToken);
        if (sink is null)
        {
            return (null, $"store table {storeName} (the sink's target of {name}) does not exist");
        }

        var columns = new List<ColumnPair>();
        var refusals = new List<string>();
        var ordered = source.KeyColumns.Select(k => source.Find(k)!).Concat(source.Columns.Where(c => !source.KeyColumns.Contains(c.Name)));
        foreach (var column in ordered)
        {
            var isKey = source.KeyColumns.Contains(column.Name);
            var targetName = target.TargetColumn(column.Name, isKey);
            if (targetName is null)
            {
                continue;
            }

            var storeColumn = sink.Find(targetName);
            if (storeColumn is null)
            {
                refusals.Add($"store table {storeName} lacks column {targetName} (primary {column.Name})");
                continue;
            }

            if (CanonicalText.For(column, storeColumn, out var refusal) is { } expressions)
            {
                columns.Add(new ColumnPair(column, storeColumn, expressions.Primary, expressions.Store, isKey));
            }
            else
            {
                refusals.Add(refusal!);
            }
        }

        var storeKeys = columns.Where(c => c.IsKey).Select(c => c.Store.Name).ToList();
        if (refusals.Count == 0 && !sink.KeyColumns.Order(StringComparer.Ordinal).SequenceEqual(storeKeys.Order(StringComparer.Ordinal)))
        {
            refusals.Add($"store table {storeName} has key ({string.Join(", ", sink.KeyColumns)}), not the primary's ({string.Join(", ", storeKeys)})");
        }

        if (refusals.Count > 0)
        {
            return (null, $"{name}: {string.Join("; ", refusals)}");
        }

        var hasVersion = sink.Find(SinkColumns.CommitLsn) is not null && sink.Find(SinkColumns.EventLsn) is not null;
        return (new TablePair(source, sink, columns, target.DeleteMode, hasVersion), null);
    }
}
