namespace Cdc.Benchmarks.Sink;

/// <summary>A set of ids with O(1) add, remove and uniform random pick.</summary>
public sealed class KeyPool
{
    private readonly List<long> _ids = [];
    private readonly Dictionary<long, int> _index = [];

    public int Count => _ids.Count;

    public void Add(long id)
    {
        _index.Add(id, _ids.Count);
        _ids.Add(id);
    }

    public void Remove(long id)
    {
        var at = _index[id];
        var last = _ids[^1];
        _ids[at] = last;
        _index[last] = at;
        _ids.RemoveAt(_ids.Count - 1);
        _index.Remove(id);
    }

    public long Pick(Random random) => _ids[random.Next(_ids.Count)];
}
