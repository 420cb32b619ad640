using Cdc.Common.Kafka;

namespace Cdc.Dev.Demo;

/// <summary>Records in a dead-letter topic, read from its partitions' watermarks.</summary>
internal static class DeadLetterCount
{
    public static long Of(string bootstrapServers, string topic)
    {
        using var watermarks = new TopicWatermarks(bootstrapServers);
        try
        {
            return watermarks.Records(topic);
        }
        catch (Confluent.Kafka.KafkaException e) when (e.Error.Code == Confluent.Kafka.ErrorCode.UnknownTopicOrPart)
        {
            // A sink creates its dead-letter topic with the first dead letter: no topic, none was written.
            return 0;
        }
    }
}
