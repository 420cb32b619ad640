using System.Text;
using Cdc.DevKit.Kafka;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.DevKit.Tests.Kafka;

public sealed class MockClusterTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void CreateTopic_48Partitions_VisibleInMetadataFromSeparateClient()
    {
        var topic = kafka.CreateUniqueTopic("wide", partitions: 48);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, Timeout);

        var described = Assert.Single(metadata.Topics);
        Assert.Equal(ErrorCode.NoError, described.Error.Code);
        Assert.Equal(48, described.Partitions.Count);
        Assert.Equal(3, metadata.Brokers.Count);
        Assert.Contains(kafka.Cluster.Topics, t => t.Name == topic && t.Partitions == 48);
    }

    [Fact]
    public async Task AutoCreatedTopic_ProducedWithoutCreate_HasFourPartitions()
    {
        var topic = KafkaFixture.UniqueName("auto");
        using var producer = new ProducerBuilder<Null, string>(kafka.ProducerConfig()).Build();

        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "x" });

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        Assert.Equal(4, admin.GetMetadata(topic, Timeout).Topics.Single().Partitions.Count);
        Assert.DoesNotContain(kafka.Cluster.Topics, t => t.Name == topic);
    }

    [Fact]
    public void CreateTopic_Twice_ThrowsTopicAlreadyExists()
    {
        var topic = kafka.CreateUniqueTopic("twice", partitions: 2);

        var error = Assert.Throws<KafkaException>(() => kafka.Cluster.CreateTopic(topic, 2));

        Assert.Equal(ErrorCode.TopicAlreadyExists, error.Error.Code);
    }

    [Fact]
    public async Task ProduceConsume_ConsumerGroupOverTcp_ReceivesEveryMessage()
    {
        var topic = kafka.CreateUniqueTopic("roundtrip", partitions: 32);
        const int count = 2_000;
        using (var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i % 97}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(Timeout));
        }

        var received = await Task.Run(() => ConsumeValues(kafka.ConsumerConfig(), topic, count));

        Assert.Equal(count, received.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"v{i}").Order(), received.Order());
    }

    [Fact]
    public async Task SetBrokerDown_ProduceWhileDown_DeliveredAfterUpNoneLost()
    {
        var topic = kafka.CreateUniqueTopic("fault", partitions: 1);
        kafka.Cluster.SetPartitionLeader(topic, 0, brokerId: 2);
        using var producer = new ProducerBuilder<Null, string>(kafka.ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "before" });

        kafka.Cluster.SetBrokerDown(2);
        var pending = Enumerable.Range(0, 50)
            .Select(i => producer.ProduceAsync(topic, new Message<Null, string> { Value = $"down-{i}" }))
            .ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var deliveredWhileDown = pending.Count(t => t.IsCompleted);
        Assert.False(kafka.Cluster.Brokers.Single(b => b.Id == 2).IsUp);
        kafka.Cluster.SetBrokerUp(2);
        var results = await Task.WhenAll(pending).WaitAsync(Timeout);

        Assert.Equal(0, deliveredWhileDown);
        Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        var values = await Task.Run(() => ConsumeValues(kafka.ConsumerConfig(), topic, 51));
        Assert.Equal(["before", .. Enumerable.Range(0, 50).Select(i => $"down-{i}")], values);
    }

    [Fact]
    public async Task PushRequestErrors_ProduceError_FailsNextProduceOnly()
    {
        var topic = kafka.CreateUniqueTopic("errors", partitions: 1);
        var config = kafka.ProducerConfig();
        config.EnableIdempotence = false;
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "warm-up" });

        kafka.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.PolicyViolation);
        var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(
            () => producer.ProduceAsync(topic, new Message<Null, string> { Value = "rejected" }));
        var next = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "accepted" });

        Assert.Equal(ErrorCode.PolicyViolation, failure.Error.Code);
        Assert.Equal(PersistenceStatus.Persisted, next.Status);
    }

    [Fact]
    public void SetBrokerDown_UnknownBroker_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.Cluster.SetBrokerDown(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.Cluster.SetBrokerUp(0));
    }

    [Fact]
    public void Dispose_Twice_LaterCallsThrowObjectDisposed()
    {
        var cluster = MockCluster.Create(brokers: 1);
        Assert.Equal(TimeSpan.FromMilliseconds(100), cluster.GroupInitialRebalanceDelay);

        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1));
    }

    private static List<string> ConsumeValues(ConsumerConfig config, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Subscribe(topic);
        var values = new List<string>(expected);
        var deadline = DateTimeOffsetDeadline(Timeout);
        while (values.Count < expected && TimeProvider.System.GetUtcNow() < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                values.Add(result.Message.Value);
            }
        }

        consumer.Commit();
        consumer.Close();
        return values;
    }

    private static DateTimeOffset DateTimeOffsetDeadline(TimeSpan timeout) => TimeProvider.System.GetUtcNow() + timeout;
}
