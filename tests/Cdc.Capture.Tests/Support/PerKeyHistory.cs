namespace Cdc.Capture.Tests.Support;

/// <summary>
/// Each key's values in topic order. At-least-once delivery may replay a tail after a restart (1,2,3,2,3,4); the
/// first occurrences must still come in commit order (1,2,3,4), and every committed value must be there.
/// </summary>
internal static class PerKeyHistory
{
    public static void AssertComplete(IReadOnlyDictionary<string, List<long>> committed, IReadOnlyList<CapturedRecord> records, Func<CapturedRecord, long?> value)
    {
        var seen = records
            .Where(r => r.Event is not null)
            .GroupBy(r => r.KeyText)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Offset).Select(value).OfType<long>().ToList());
        foreach (var (key, values) in committed)
        {
            Assert.True(seen.TryGetValue(key, out var inTopic), $"key {key}: nothing in the topic");
            var first = inTopic!.Distinct().ToList();
            Assert.True(first.SequenceEqual(first.Order()), $"key {key}: first occurrences out of commit order: {string.Join(",", inTopic!)}");
            var missing = values.Except(inTopic!).ToList();
            Assert.True(missing.Count == 0, $"key {key}: committed values missing from the topic: {string.Join(",", missing)}");
        }
    }
}
