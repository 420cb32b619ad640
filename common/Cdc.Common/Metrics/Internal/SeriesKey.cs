namespace Cdc.Common.Metrics.Internal;

/// <summary>One series' tags: names sorted ordinally, values as label text; equal keys are the same series whatever
/// order the tags were recorded in.</summary>
internal sealed class SeriesKey
{
    public SeriesKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Names = new string[tags.Length];
        Values = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            Names[i] = tags[i].Key;
            Values[i] = TagValue.Format(tags[i].Value);
        }

        Array.Sort(Names, Values, StringComparer.Ordinal);
        Hash = SeriesKeyComparer.Hash(tags);
    }

    public string[] Names { get; }

    public string[] Values { get; }

    public int Hash { get; }

    public int IndexOf(string name) => Array.BinarySearch(Names, name, StringComparer.Ordinal);
}
