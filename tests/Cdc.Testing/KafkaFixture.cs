using Cdc.DevKit.Kafka;
using Confluent.Kafka;

namespace Cdc.Testing;

/// <summary>
/// An xunit class or collection fixture owning one in-process <see cref="MockCluster"/> (3 brokers), with unique
/// topic names and client configs tuned for fast tests. Tests sharing it must use their own topics and groups.
/// </summary>
public sealed class KafkaFixture : IDisposable
{
    public const int DefaultPartitions = 8;

    public KafkaFixture()
    {
        Cluster = MockCluster.Create(brokers: 3, groupInitialRebalanceDelay: TimeSpan.Zero);
    }

    public MockCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary><c>{prefix}-{guid}</c>: a name no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Creates the topic and returns its name.</summary>
    public string CreateTopic(string name, int partitions = DefaultPartitions)
    {
        Cluster.CreateTopic(name, partitions);
        return name;
    }

    /// <summary>Creates a topic with a unique name starting with <paramref name="prefix"/> and returns the name.</summary>
    public string CreateUniqueTopic(string prefix = "topic", int partitions = DefaultPartitions) =>
        CreateTopic(UniqueName(prefix), partitions);

    /// <summary>An idempotent, acks=all producer that sends at once and reconnects quickly after a broker fault.</summary>
    public ProducerConfig ProducerConfig() => new()
    {
        BootstrapServers = BootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 1,
        MessageTimeoutMs = 30_000,
        ReconnectBackoffMs = 10,
        ReconnectBackoffMaxMs = 200,
        RetryBackoffMs = 20,
        RetryBackoffMaxMs = 200,
    };

    /// <summary>A consumer reading from the earliest offset with manual commits, in <paramref name="groupId"/>
    /// (a unique group when null).</summary>
    public ConsumerConfig ConsumerConfig(string? groupId = null) => new()
    {
        BootstrapServers = BootstrapServers,
        GroupId = groupId ?? UniqueName("group"),
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        SessionTimeoutMs = 6_000,
        HeartbeatIntervalMs = 500,
        FetchWaitMaxMs = 20,
        ReconnectBackoffMs = 10,
        ReconnectBackoffMaxMs = 200,
    };

    public void Dispose() => Cluster.Dispose();
}
