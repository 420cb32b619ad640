namespace Cdc.DevKit.Kafka.Internal;

/// <summary>
/// librdkafka's experimental mock-cluster C API (<c>rdkafka_mock.h</c>, librdkafka 2.16), bound by function pointer
/// to the copy Confluent.Kafka loaded. Every call is thread-safe on the native side (it posts an op to the cluster's
/// own thread).
/// </summary>
internal static unsafe class LibrdkafkaMock
{
    private static readonly Lazy<Api> Functions = new(Api.Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>rd_kafka_mock_cluster_t *rd_kafka_mock_cluster_new(rd_kafka_t *rk, int broker_cnt)</summary>
    public static nint ClusterNew(nint rk, int brokerCount) => Functions.Value.ClusterNew(rk, brokerCount);

    /// <summary>void rd_kafka_mock_cluster_destroy(rd_kafka_mock_cluster_t *mcluster)</summary>
    public static void ClusterDestroy(nint cluster) => Functions.Value.ClusterDestroy(cluster);

    /// <summary>const char *rd_kafka_mock_cluster_bootstraps(const rd_kafka_mock_cluster_t *mcluster)</summary>
    public static nint ClusterBootstraps(nint cluster) => Functions.Value.ClusterBootstraps(cluster);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_topic_create(mcluster, const char *topic, int partition_cnt, int replication_factor)</summary>
    public static int TopicCreate(nint cluster, byte* topic, int partitions, int replicationFactor) =>
        Functions.Value.TopicCreate(cluster, topic, partitions, replicationFactor);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_broker_set_down(mcluster, int32_t broker_id)</summary>
    public static int BrokerSetDown(nint cluster, int brokerId) => Functions.Value.BrokerSetDown(cluster, brokerId);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_broker_set_up(mcluster, int32_t broker_id)</summary>
    public static int BrokerSetUp(nint cluster, int brokerId) => Functions.Value.BrokerSetUp(cluster, brokerId);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_broker_set_rtt(mcluster, int32_t broker_id, int rtt_ms)</summary>
    public static int BrokerSetRtt(nint cluster, int brokerId, int rttMs) => Functions.Value.BrokerSetRtt(cluster, brokerId, rttMs);

    /// <summary>void rd_kafka_mock_group_initial_rebalance_delay_ms(mcluster, int32_t delay_ms)</summary>
    public static void GroupInitialRebalanceDelayMs(nint cluster, int delayMs) =>
        Functions.Value.GroupInitialRebalanceDelayMs(cluster, delayMs);

    /// <summary>void rd_kafka_mock_push_request_errors_array(mcluster, int16_t ApiKey, size_t cnt, const rd_kafka_resp_err_t *errors)</summary>
    public static void PushRequestErrorsArray(nint cluster, short apiKey, nuint count, int* errors) =>
        Functions.Value.PushRequestErrorsArray(cluster, apiKey, count, errors);

    /// <summary>void rd_kafka_mock_clear_request_errors(mcluster, int16_t ApiKey)</summary>
    public static void ClearRequestErrors(nint cluster, short apiKey) => Functions.Value.ClearRequestErrors(cluster, apiKey);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_partition_set_leader(mcluster, const char *topic, int32_t partition, int32_t broker_id)</summary>
    public static int PartitionSetLeader(nint cluster, byte* topic, int partition, int brokerId) =>
        Functions.Value.PartitionSetLeader(cluster, topic, partition, brokerId);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_set_controller_id(mcluster, int32_t broker_id)</summary>
    public static int SetControllerId(nint cluster, int brokerId) => Functions.Value.SetControllerId(cluster, brokerId);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_topic_delete(mcluster, const char *topic)</summary>
    public static int TopicDelete(nint cluster, byte* topic) => Functions.Value.TopicDelete(cluster, topic);

    /// <summary>rd_kafka_resp_err_t rd_kafka_mock_partition_delete_records(mcluster, const char *topic, int32_t partition, int64_t before_offset)</summary>
    public static int PartitionDeleteRecords(nint cluster, byte* topic, int partition, long beforeOffset) =>
        Functions.Value.PartitionDeleteRecords(cluster, topic, partition, beforeOffset);

    private sealed class Api
    {
        public delegate* unmanaged[Cdecl]<nint, int, int> SetControllerId;
        public delegate* unmanaged[Cdecl]<nint, byte*, int> TopicDelete;
        public delegate* unmanaged[Cdecl]<nint, byte*, int, long, int> PartitionDeleteRecords;
        public delegate* unmanaged[Cdecl]<nint, int, nint> ClusterNew;
        public delegate* unmanaged[Cdecl]<nint, void> ClusterDestroy;
        public delegate* unmanaged[Cdecl]<nint, nint> ClusterBootstraps;
        public delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> TopicCreate;
        public delegate* unmanaged[Cdecl]<nint, int, int> BrokerSetDown;
        public delegate* unmanaged[Cdecl]<nint, int, int> BrokerSetUp;
        public delegate* unmanaged[Cdecl]<nint, int, int, int> BrokerSetRtt;
        public delegate* unmanaged[Cdecl]<nint, int, void> GroupInitialRebalanceDelayMs;
        public delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void> PushRequestErrorsArray;
        public delegate* unmanaged[Cdecl]<nint, short, void> ClearRequestErrors;
        public delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> PartitionSetLeader;

        public static Api Bind() => new()
        {
            SetControllerId = (delegate* unmanaged[Cdecl]<nint, int, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_set_controller_id"),
            TopicDelete = (delegate* unmanaged[Cdecl]<nint, byte*, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_topic_delete"),
            PartitionDeleteRecords = (delegate* unmanaged[Cdecl]<nint, byte*, int, long, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_partition_delete_records"),
            ClusterNew = (delegate* unmanaged[Cdecl]<nint, int, nint>)LibrdkafkaLibrary.Export("rd_kafka_mock_cluster_new"),
            ClusterDestroy = (delegate* unmanaged[Cdecl]<nint, void>)LibrdkafkaLibrary.Export("rd_kafka_mock_cluster_destroy"),
            ClusterBootstraps = (delegate* unmanaged[Cdecl]<nint, nint>)LibrdkafkaLibrary.Export("rd_kafka_mock_cluster_bootstraps"),
            TopicCreate = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_topic_create"),
            BrokerSetDown = (delegate* unmanaged[Cdecl]<nint, int, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_broker_set_down"),
            BrokerSetUp = (delegate* unmanaged[Cdecl]<nint, int, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_broker_set_up"),
            BrokerSetRtt = (delegate* unmanaged[Cdecl]<nint, int, int, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_broker_set_rtt"),
            GroupInitialRebalanceDelayMs = (delegate* unmanaged[Cdecl]<nint, int, void>)LibrdkafkaLibrary.Export("rd_kafka_mock_group_initial_rebalance_delay_ms"),
            PushRequestErrorsArray = (delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void>)LibrdkafkaLibrary.Export("rd_kafka_mock_push_request_errors_array"),
            ClearRequestErrors = (delegate* unmanaged[Cdecl]<nint, short, void>)LibrdkafkaLibrary.Export("rd_kafka_mock_clear_request_errors"),
            PartitionSetLeader = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)LibrdkafkaLibrary.Export("rd_kafka_mock_partition_set_leader"),
        };
    }
}
