using Cdc.Reconciler.Schema;
using Npgsql;

namespace Cdc.Reconciler.Compare;

/// <summary>Runs <see cref="RangeSql"/> against one side of a table pair.</summary>
internal sealed class SideReader(NpgsqlDataSource source, TablePair pair, bool primary)
{
    public bool IsPrimary => primary;

    public async Task<RangeHash> HashAsync(KeyRange range, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.Hash(pair, primary, range));
        AddBounds(command, range);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RangeHash(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Per-bucket hashes of an integer range: bucket i covers [lower + i*width, lower + (i+1)*width).</summary>
    public async Task<Dictionary<long, RangeHash>> BucketsAsync(long lower, long upper, long width, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.Buckets(pair, primary));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lower });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upper });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = width });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buckets = new Dictionary<long, RangeHash>();
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets[reader.GetInt64(0)] = new RangeHash(reader.GetInt64(1), reader.GetInt64(2));
        }

        return buckets;
    }

    public async Task<(long Min, long Max)?> BoundsAsync(CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.Bounds(pair, primary));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetValue(0) is long min ? (min, reader.GetInt64(1)) : null;
    }

    public async Task<string[]?> KeyAtAsync(KeyRange range, long offset, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.KeyAt(pair, primary, range, offset));
        AddBounds(command, range);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return [.. Enumerable.Range(0, pair.Keys.Count).Select(reader.GetString)];
    }

    public async Task<List<SideRow>> FetchAsync(KeyRange range, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.FetchRange(pair, primary, range));
        AddBounds(command, range);
        return await ReadRowsAsync(command, cancellationToken);
    }

    /// <param name="keys">Key values as text, one array per row, in key column order.</param>
    public async Task<List<SideRow>> FetchKeysAsync(IReadOnlyList<string[]> keys, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.FetchKeys(pair, primary));
        for (var i = 0; i < pair.Keys.Count; i++)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k[i])] });
        }

        return await ReadRowsAsync(command, cancellationToken);
    }

    private async Task<List<SideRow>> ReadRowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var keyCount = pair.Keys.Count;
        var valueCount = pair.Columns.Count;
        var rows = new List<SideRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var keyValues = new string[keyCount];
            for (var i = 0; i < keyCount; i++)
            {
                keyValues[i] = reader.GetString(1 + i);
            }

            var values = new string?[valueCount];
            for (var i = 0; i < valueCount; i++)
            {
                var ordinal = 1 + keyCount + i;
                values[i] = reader.GetValue(ordinal) as string;
            }

            var versionAt = 1 + keyCount + valueCount;
            var version = primary || !pair.StoreHasVersion ? null
                : new RowVersion(reader.GetValue(versionAt) as long?, reader.GetValue(versionAt + 1) as long?);
            rows.Add(new SideRow(reader.GetString(0), keyValues, values, version, reader.GetBoolean(versionAt + 2)));
        }

        return rows;
    }

    private static void AddBounds(NpgsqlCommand command, KeyRange range)
    {
        foreach (var value in (range.Lower ?? []).Concat(range.Upper ?? []))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        }
    }
}
