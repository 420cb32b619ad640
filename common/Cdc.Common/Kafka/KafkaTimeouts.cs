namespace Cdc.Common.Kafka;

/// <summary>Timeouts every long-running Kafka client of the product sets (docs/design.md#kafka).</summary>
public static class KafkaTimeouts
{
    /// <summary>
    /// <c>socket.timeout.ms</c> (and the producer's <c>request.timeout.ms</c>): a request a broker left unanswered when it
    /// went away (a produce, a fetch, a metadata or group request) is given up after 10 s and sent again, not after
    /// librdkafka's 60 s, which held a whole pipeline up for a minute after the brokers were back. Produce retries keep
    /// their sequence numbers (idempotent producers), so giving up sooner duplicates nothing.
    /// </summary>
    public const int RequestMs = 10_000;

    /// <summary>
    /// <c>reconnect.backoff.max.ms</c>: a client whose brokers went away tries them again at least once a second (Kafka's
    /// Java clients' default), not librdkafka's 10 s, whose doubling backoff left a sink idle for seconds after the
    /// brokers were back.
    /// </summary>
    public const int ReconnectBackoffMaxMs = 1_000;
}
