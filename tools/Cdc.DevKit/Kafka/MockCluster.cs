using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Cdc.DevKit.Kafka.Internal;
using Confluent.Kafka;

namespace Cdc.DevKit.Kafka;

/// <summary>
/// librdkafka's in-memory mock Kafka cluster, hosted in this process and reachable over TCP on 127.0.0.1 by any
/// client (this process or another) through <see cref="BootstrapServers"/>. Topics must be created here, not over
/// the wire (the mock refuses CreateTopics); auto-created topics get a fixed 4 partitions. Each partition keeps only
/// its newest ~5 MB or 100,000 message batches. Faults: <see cref="SetBrokerDown"/>, <see cref="PushRequestErrors"/>.
/// </summary>
public sealed unsafe class MockCluster : IDisposable
{
    /// <summary>librdkafka's own default is 3 s, which makes every consumer group's first join slow.</summary>
    public static readonly TimeSpan DefaultGroupInitialRebalanceDelay = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly IProducer<Null, Null> _owner;
    private readonly bool[] _brokerUp;
    private readonly Dictionary<string, MockTopic> _topics = new(StringComparer.Ordinal);
    private nint _cluster;
    private TimeSpan _rebalanceDelay;

    private MockCluster(IProducer<Null, Null> owner, nint cluster, int brokers)
    {
        _owner = owner;
        _cluster = cluster;
        _brokerUp = Enumerable.Repeat(true, brokers).ToArray();
        BootstrapServers = Marshal.PtrToStringUTF8(LibrdkafkaMock.ClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("the mock cluster reported no bootstrap servers");
    }

    /// <summary>Comma-separated <c>host:port</c> list of the mock brokers, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount => _brokerUp.Length;

    public TimeSpan GroupInitialRebalanceDelay
    {
        get
        {
            lock (_gate)
            {
                return _rebalanceDelay;
            }
        }
    }

    /// <summary>Brokers 1..<see cref="BrokerCount"/> and whether each accepts connections.</summary>
    public IReadOnlyList<MockBroker> Brokers
    {
        get
        {
            lock (_gate)
            {
                return _brokerUp.Select((up, i) => new MockBroker(i + 1, up)).ToArray();
            }
        }
    }

    /// <summary>Topics created through <see cref="CreateTopic"/>, by name (auto-created topics are not listed).</summary>
    public IReadOnlyList<MockTopic> Topics
    {
        get
        {
            lock (_gate)
            {
                return _topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers (ids 1..n).</summary>
    /// <param name="brokers">Number of brokers, 1 to 100.</param>
    /// <param name="groupInitialRebalanceDelay">Delay before a new consumer group's first rebalance;
    /// null for <see cref="DefaultGroupInitialRebalanceDelay"/>.</param>
    /// <param name="log">Receives librdkafka's log lines for the owning client; null drops them.</param>
    public static MockCluster Create(int brokers = 3, TimeSpan? groupInitialRebalanceDelay = null, Action<LogMessage>? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokers, 100);

        // The owner has no bootstrap servers of its own: it only carries the mock cluster's threads and timers.
        var owner = new ProducerBuilder<Null, Null>(new ProducerConfig { ClientId = "cdc-mock-cluster" })
            .SetLogHandler((_, message) => log?.Invoke(message))
            .Build();
        try
        {
            var cluster = LibrdkafkaMock.ClusterNew(NativeHandle(owner), brokers);
            if (cluster == 0)
            {
                throw new InvalidOperationException($"rd_kafka_mock_cluster_new failed for {brokers} broker(s)");
            }

            var mock = new MockCluster(owner, cluster, brokers);
            // Without a controller the Admin API's DescribeTopics (topic ids: a topic's incarnation) times out.
            ThrowIfError(LibrdkafkaMock.SetControllerId(cluster, 1), "setting the controller");
            mock.SetGroupInitialRebalanceDelay(groupInitialRebalanceDelay ?? DefaultGroupInitialRebalanceDelay);
            return mock;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Creates a topic with an explicit partition count (auto-creation would give 4).</summary>
    /// <exception cref="KafkaException">The topic exists (<see cref="ErrorCode.TopicAlreadyExists"/>) or the mock refused it.</exception>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);

        var topic = Utf8(name);
        lock (_gate)
        {
            int error;
            fixed (byte* pointer = topic)
            {
                error = LibrdkafkaMock.TopicCreate(Cluster(), pointer, partitions, replicationFactor);
            }

            ThrowIfError(error, $"creating topic '{name}' with {partitions} partition(s)");
            _topics[name] = new MockTopic(name, partitions, replicationFactor);
        }
    }

    /// <summary>
    /// Deletes a topic with all its records, as a Kafka restart without persistent storage (or a topic deleted by an
    /// operator) does: the next producer auto-creates a new incarnation, with a new topic id and offsets from 0.
    /// </summary>
    /// <exception cref="KafkaException">No such topic.</exception>
    public void DeleteTopic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var topic = Utf8(name);
        lock (_gate)
        {
            int error;
            fixed (byte* pointer = topic)
            {
                error = LibrdkafkaMock.TopicDelete(Cluster(), pointer);
            }

            ThrowIfError(error, $"deleting topic '{name}'");
            _topics.Remove(name);
        }
    }

    /// <summary>
    /// Moves a partition's log start to <paramref name="beforeOffset"/>, dropping every record before it, as Kafka's
    /// retention does to records nobody read in time.
    /// </summary>
    /// <exception cref="KafkaException">No such topic or partition, or the offset is past the partition's end.</exception>
    public void DeleteRecords(string topic, int partition, long beforeOffset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(beforeOffset);
        var name = Utf8(topic);
        lock (_gate)
        {
            int error;
            fixed (byte* pointer = name)
            {
                error = LibrdkafkaMock.PartitionDeleteRecords(Cluster(), pointer, partition, beforeOffset);
            }

            ThrowIfError(error, $"deleting the records of {topic} [{partition}] before offset {beforeOffset}");
        }
    }

    /// <summary>Disconnects the broker and refuses new connections; its partitions keep it as leader (no failover),
    /// so requests for them wait until <see cref="SetBrokerUp"/>. Data survives.</summary>
    public void SetBrokerDown(int brokerId) => SetBrokerState(brokerId, up: false);

    /// <summary>Lets the broker accept connections again.</summary>
    public void SetBrokerUp(int brokerId) => SetBrokerState(brokerId, up: true);

    /// <summary>Sets <c>group.initial.rebalance.delay.ms</c> for groups created from now on.</summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay)
    {
        var milliseconds = ToMilliseconds(delay, nameof(delay));
        lock (_gate)
        {
            LibrdkafkaMock.GroupInitialRebalanceDelayMs(Cluster(), milliseconds);
            _rebalanceDelay = TimeSpan.FromMilliseconds(milliseconds);
        }
    }

    /// <summary>Adds a simulated round-trip delay to every response of the broker.</summary>
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan delay)
    {
        CheckBroker(brokerId);
        var milliseconds = ToMilliseconds(delay, nameof(delay));
        lock (_gate)
        {
            ThrowIfError(LibrdkafkaMock.BrokerSetRtt(Cluster(), brokerId, milliseconds), $"setting broker {brokerId} round-trip time");
        }
    }

    /// <summary>Moves a partition's leadership (creating the topic with default settings if it does not exist).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        CheckBroker(brokerId);
        var name = Utf8(topic);
        lock (_gate)
        {
            int error;
            fixed (byte* pointer = name)
            {
                error = LibrdkafkaMock.PartitionSetLeader(Cluster(), pointer, partition, brokerId);
            }

            ThrowIfError(error, $"setting the leader of {topic} [{partition}] to broker {brokerId}");
        }
    }

    /// <summary>
    /// Makes the next <paramref name="errors"/>.Length requests of type <paramref name="apiKey"/>, on any broker, fail
    /// with these errors in order. <see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection instead.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            return;
        }

        var codes = errors.Select(e => (int)e).ToArray();
        lock (_gate)
        {
            fixed (int* pointer = codes)
            {
                LibrdkafkaMock.PushRequestErrorsArray(Cluster(), (short)apiKey, (nuint)codes.Length, pointer);
            }
        }
    }

    /// <summary>Drops the errors still queued by <see cref="PushRequestErrors"/> for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        lock (_gate)
        {
            LibrdkafkaMock.ClearRequestErrors(Cluster(), (short)apiKey);
        }
    }

    /// <summary>Destroys the mock cluster (its brokers and all data), then its owning client.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == 0)
            {
                return;
            }

            // Order matters: the cluster lives on the owner's rd_kafka_t and must be gone before it is destroyed.
            LibrdkafkaMock.ClusterDestroy(_cluster);
            _cluster = 0;
        }

        _owner.Dispose();
    }

    private static nint NativeHandle(IClient client)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new MissingMemberException(typeof(Handle).FullName, "LibrdkafkaHandle");
        var handle = property.GetValue(client.Handle) as SafeHandle
            ?? throw new InvalidOperationException("Confluent.Kafka client has no native handle");
        return handle.DangerousGetHandle();
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value + "\0");

    private static int ToMilliseconds(TimeSpan value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue), name);
        return (int)value.TotalMilliseconds;
    }

    private static void ThrowIfError(int error, string what)
    {
        if (error != 0)
        {
            var code = (ErrorCode)error;
            throw new KafkaException(new Error(code, $"mock cluster: {what} failed: {code}"));
        }
    }

    private void SetBrokerState(int brokerId, bool up)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            var error = up ? LibrdkafkaMock.BrokerSetUp(Cluster(), brokerId) : LibrdkafkaMock.BrokerSetDown(Cluster(), brokerId);
            ThrowIfError(error, $"setting broker {brokerId} {(up ? "up" : "down")}");
            _brokerUp[brokerId - 1] = up;
        }
    }

    private void CheckBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"brokers are numbered 1..{BrokerCount}");
        }
    }

    private nint Cluster()
    {
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        return _cluster;
    }
}
