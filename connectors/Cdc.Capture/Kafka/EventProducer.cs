using Cdc.Capture.Configuration;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Cdc.Capture.Kafka;

/// <summary>
/// The idempotent, <c>acks=all</c> producer every record leaves through. Records are handed to librdkafka without
/// waiting (it batches them); each delivery report lands on its <see cref="DeliveryUnit"/>. Messages never time out
/// locally, so a broker outage only delays acknowledgements: nothing is confirmed to PostgreSQL meanwhile.
/// </summary>
internal sealed class EventProducer : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly ILogger _logger;
    private volatile string? _brokerProblem;

    public EventProducer(CaptureOptions options, ILogger logger)
    {
        _logger = logger;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(Config(options))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) =>
            {
                if (message.Level <= SyslogLevel.Warning)
                {
                    Log.KafkaLog(_logger, message.Facility, message.Message);
                }
            })
            .Build();
    }

    /// <summary>Why Kafka looks unavailable (all brokers down...), or null once records are acknowledged again.</summary>
    public string? BrokerProblem => _brokerProblem;

    public static ProducerConfig Config(CaptureOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            MaxInFlight = 5,
            // Retry forever: a record is never given up, so a confirmed LSN never skips a lost record.
            MessageTimeoutMs = 0,
            LingerMs = 5,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 200_000,
            ReconnectBackoffMs = 50,
            ReconnectBackoffMaxMs = Cdc.Common.Kafka.KafkaTimeouts.ReconnectBackoffMaxMs,
            RetryBackoffMs = 50,
            RetryBackoffMaxMs = 1_000,
            SocketTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            RequestTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            Partitioner = Partitioner.Murmur2Random,
            CompressionType = CompressionType.Lz4,
            // Above the connector's own limit, which is checked per record (a larger row is recorded as skipped).
            MessageMaxBytes = options.MaxRecordBytes + (1 << 20),
        };
        foreach (var (key, value) in options.Producer)
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary>Hands one record to the client; waits while its local queue is full (a slow or absent broker).</summary>
    /// <param name="partition">A fixed partition (the transaction topic's records must stay in commit order), or null for the key's.</param>
    /// <param name="headers">Headers, or null.</param>
    public async ValueTask ProduceAsync(string topic, byte[]? key, byte[]? value, DeliveryUnit unit, CancellationToken cancellationToken, int? partition = null, Headers? headers = null)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers };
        unit.Add();
        while (true)
        {
            try
            {
                if (partition is { } p)
                {
                    _producer.Produce(new TopicPartition(topic, new Partition(p)), message, unit.OnDelivered);
                }
                else
                {
                    _producer.Produce(topic, message, unit.OnDelivered);
                }

                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(5, cancellationToken);
            }
            catch
            {
                unit.Abandon();
                throw;
            }
        }
    }

    /// <summary>Hands one record to the client at once, from any thread (the delivery thread); false when its queue is full.</summary>
    public bool TryProduceNow(string topic, byte[]? key, byte[]? value, DeliveryUnit unit)
    {
        unit.Add();
        try
        {
            _producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value }, unit.OnDelivered);
            return true;
        }
        catch (ProduceException<byte[]?, byte[]?>)
        {
            unit.Abandon();
            return false;
        }
    }

    /// <summary>Called when a record was acknowledged: Kafka is evidently back.</summary>
    public void MarkHealthy() => _brokerProblem = null;

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            Log.KafkaFatal(_logger, error.Reason);
        }

        if (error.Code is ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Transport or ErrorCode.Local_Resolve)
        {
            _brokerProblem = error.Reason;
            Log.WaitingForKafka(_logger, error.Reason);
        }
    }
}
