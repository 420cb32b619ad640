using Cdc.Common.Kafka;

namespace Cdc.Dev.Demo;

/// <summary>Records in a dead-letter topic, read from its partitions' watermarks.</summary>
internal static class DeadLetterCount
{
    public static long Of(string bootstrapServers, string topic)
    {
        using var watermarks = new TopicWatermarks(bootstrapServers);
        return watermarks.Records(topic);
    }
}
