namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>
/// The iteration order of a <c>java.util.HashMap&lt;String, String&gt;</c> filled by successive <c>put</c>s: buckets
/// by <c>(h ^ h &gt;&gt;&gt; 16) &amp; (capacity - 1)</c> of <c>String.hashCode</c>, in bucket order, insertion order within
/// a bucket; capacity 16 doubling past a load of 0.75, and doubling instead of treeifying a bucket of more than 8
/// while the table is under 64. Not reproduced: the order inside a treeified bucket (more than 8 keys in one bucket
/// of a table of 64 or more), kept here in insertion order.
/// </summary>
internal static class JavaHashMapOrder
{
    private const int TreeifyThreshold = 8;
    private const int MinTreeifyCapacity = 64;

    public static IEnumerable<(string Key, string? Value)> Of(List<(string Key, string? Value)> puts)
    {
        var hashes = new int[puts.Count];
        var capacity = 16;
        var buckets = NewBuckets(capacity);
        var size = 0;
        for (var i = 0; i < puts.Count; i++)
        {
            var hash = Spread(puts[i].Key);
            hashes[i] = hash;
            var bucket = buckets[hash & (capacity - 1)];
            var existing = bucket.FindIndex(e => puts[e].Key == puts[i].Key);
            if (existing >= 0)
            {
                bucket[existing] = i;
                continue;
            }

            bucket.Add(i);
            if (bucket.Count > TreeifyThreshold && capacity < MinTreeifyCapacity)
            {
                (capacity, buckets) = Resize(buckets, capacity, hashes);
            }

            if (++size > capacity * 3 / 4)
            {
                (capacity, buckets) = Resize(buckets, capacity, hashes);
            }
        }

        return buckets.SelectMany(b => b).Select(i => puts[i]);
    }

    private static (int, List<int>[]) Resize(List<int>[] buckets, int capacity, int[] hashes)
    {
        var doubled = capacity * 2;
        var result = NewBuckets(doubled);
        foreach (var bucket in buckets)
        {
            foreach (var entry in bucket)
            {
                result[hashes[entry] & (doubled - 1)].Add(entry);
            }
        }

        return (doubled, result);
    }

    private static List<int>[] NewBuckets(int capacity) => Enumerable.Range(0, capacity).Select(_ => new List<int>()).ToArray();

    private static int Spread(string key)
    {
        var h = 0;
        foreach (var c in key)
        {
            h = unchecked((31 * h) + c);
        }

        return h ^ (int)((uint)h >> 16);
    }
}
