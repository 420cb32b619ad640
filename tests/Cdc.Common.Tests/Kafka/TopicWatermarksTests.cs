using Cdc.Common.Kafka;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Common.Tests.Kafka;

/// <summary>Issue 12: a topic Kafka answers with an error or without partitions is never read as "nothing to wait for".</summary>
public sealed class TopicWatermarksTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public void High_TopicThatDoesNotExist_ThrowsInsteadOfAnEmptyAnswer()
    {
        using var watermarks = new TopicWatermarks(kafka.BootstrapServers);
        var missing = KafkaFixture.UniqueName("missing");

        var error = Assert.Throws<KafkaException>(() => watermarks.High([missing]));

        Assert.Equal(ErrorCode.UnknownTopicOrPart, error.Error.Code);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void High_ExistingTopic_EveryPartition()
    {
        using var watermarks = new TopicWatermarks(kafka.BootstrapServers);
        var topic = kafka.CreateUniqueTopic("present", partitions: 3);

        Assert.Equal([0, 1, 2], watermarks.High([topic]).Keys.Select(k => k.Partition).Order());
    }
}
