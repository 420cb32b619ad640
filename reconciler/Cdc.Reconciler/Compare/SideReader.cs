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
        return await ReadBucketsAsync(command, cancellationToken);
    }

    /// <summary>Per-bucket hashes of the key hash's low <paramref name="bits"/> bits, within <paramref name="parents"/> of <paramref name="parentBits"/> bits (0: all rows).</summary>
    public async Task<Dictionary<long, RangeHash>> HashedBucketsAsync(int bits, int parentBits, IReadOnlyCollection<long> parents, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.HashedBuckets(pair, primary));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = bits });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = parentBits });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. parents] });
        return await ReadBucketsAsync(command, cancellationToken);
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
        return await ReadRowsAsync(command, pair, primary, cancellationToken);
    }

    /// <summary>The rows of the key-hash buckets <paramref name="buckets"/> of <paramref name="bits"/> bits.</summary>
    public async Task<List<SideRow>> FetchHashedAsync(int bits, IReadOnlyCollection<long> buckets, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(RangeSql.FetchHashed(pair, primary));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = bits });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. buckets] });
        return await ReadRowsAsync(command, pair, primary, cancellationToken);
    }

    /// <param name="keys">Canonical key texts, one array per row, in key column order.</param>
    public async Task<List<SideRow>> FetchKeysAsync(IReadOnlyList<IReadOnlyList<string>> keys, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand();
        return await FetchKeysAsync(command, pair, primary, keys, cancellationToken);
    }

    /// <summary>Rows with the given keys, read with <paramref name="command"/> (its connection, its transaction); rows of other keys a
    /// loose equality let through (a non-deterministic collation) are left out.</summary>
    public static async Task<List<SideRow>> FetchKeysAsync(NpgsqlCommand command, TablePair pair, bool primary, IReadOnlyList<IReadOnlyList<string>> keys, CancellationToken cancellationToken)
    {
        command.CommandText = RangeSql.FetchKeys(pair, primary);
        for (var i = 0; i < pair.Keys.Count; i++)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k[i])] });
        }

        var wanted = keys.Select(KeyIdentity.Of).ToHashSet(StringComparer.Ordinal);
        var rows = await ReadRowsAsync(command, pair, primary, cancellationToken);
        return [.. rows.Where(r => wanted.Contains(r.Key))];
    }

    private static async Task<List<SideRow>> ReadRowsAsync(NpgsqlCommand command, TablePair pair, bool primary, CancellationToken cancellationToken)
    {
        var keyCount = pair.Keys.Count;
        var valueCount = pair.Columns.Count;
        var rows = new List<SideRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new string?[valueCount];
            for (var i = 0; i < valueCount; i++)
            {
                values[i] = reader.GetValue(i) as string;
            }

            var keyValues = values[..keyCount].Select(v => v ?? throw new InvalidOperationException($"{pair.Name}: a key column is NULL on the {(primary ? "primary" : "store")}")).ToArray();
            var version = primary || !pair.StoreHasVersion ? null
                : new RowVersion(reader.GetValue(valueCount) as long?, reader.GetValue(valueCount + 1) as long?);
            rows.Add(new SideRow(KeyIdentity.Of(keyValues), keyValues, values, version, reader.GetBoolean(valueCount + 2)));
        }

        return rows;
    }

    private static async Task<Dictionary<long, RangeHash>> ReadBucketsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buckets = new Dictionary<long, RangeHash>();
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets[reader.GetInt64(0)] = new RangeHash(reader.GetInt64(1), reader.GetInt64(2));
        }

        return buckets;
    }

    private static void AddBounds(NpgsqlCommand command, KeyRange range)
    {
        foreach (var value in (range.Lower ?? []).Concat(range.Upper ?? []))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        }
    }
}
