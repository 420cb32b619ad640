namespace Cdc.Common.Metrics.Internal;

/// <summary>Up to three tags as recorded (names and raw values), compared by value: the key of a series already labelled.</summary>
internal readonly record struct TagSet(string Key1, object? Value1, string? Key2, object? Value2, string? Key3, object? Value3)
{
    public static bool TryCreate(ReadOnlySpan<KeyValuePair<string, object?>> tags, out TagSet set)
    {
        set = tags.Length switch
        {
            1 => new TagSet(tags[0].Key, tags[0].Value, null, null, null, null),
            2 => new TagSet(tags[0].Key, tags[0].Value, tags[1].Key, tags[1].Value, null, null),
            3 => new TagSet(tags[0].Key, tags[0].Value, tags[1].Key, tags[1].Value, tags[2].Key, tags[2].Value),
            _ => default,
        };
        return tags.Length is >= 1 and <= 3;
    }
}
