namespace Cdc.Common.Metrics.Internal;

/// <summary>
/// Compares recorded tags (a span, on the hot path) with stored <see cref="SeriesKey"/>s without building a key,
/// through <c>ConcurrentDictionary.GetAlternateLookup</c>. The hash is order-independent.
/// </summary>
internal sealed class SeriesKeyComparer :
    IEqualityComparer<SeriesKey>,
    IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, SeriesKey>
{
    public static readonly SeriesKeyComparer Instance = new();

    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Span<char> buffer = stackalloc char[TagValue.StackBufferLength];
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(string.GetHashCode(tag.Key.AsSpan()), TagValue.Hash(TagValue.Chars(tag.Value, buffer)));
        }

        return hash;
    }

    public bool Equals(SeriesKey? x, SeriesKey? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null && x.Hash == y.Hash
            && x.Names.AsSpan().SequenceEqual(y.Names) && x.Values.AsSpan().SequenceEqual(y.Values));

    public int GetHashCode(SeriesKey obj) => obj.Hash;

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, SeriesKey other)
    {
        if (alternate.Length != other.Names.Length)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[TagValue.StackBufferLength];
        foreach (var tag in alternate)
        {
            var index = other.IndexOf(tag.Key);
            if (index < 0 || !TagValue.Chars(tag.Value, buffer).SequenceEqual(other.Values[index]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => Hash(alternate);

    public SeriesKey Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => new(alternate);
}
