using System.Text;
using System.Text.Json;
using Cdc.Capture.Worker;
using Confluent.Kafka;

namespace Cdc.Capture.Signals;

/// <summary>
/// Debezium's Kafka signal channel (<c>signal.enabled.channels</c> with <c>kafka</c>, <c>signal.kafka.topic</c>
/// default <c>&lt;topic.prefix&gt;-signal</c>, <c>signal.kafka.groupId</c> default <c>kafka-signal</c>): reads partition
/// 0 of the signal topic, ignores (with a log line) records whose key is not this connector's <c>topic.prefix</c>, and
/// writes each signal into the signal table through <see cref="Resnapshots"/>, so it is answered in stream order like a
/// signal row. The record's offset is committed only after that write: a signal is never lost to a crash. Components
/// that cannot reach the primary (a sink healing a gap) signal this way (docs/design.md#no-silent-loss).
/// </summary>
internal sealed class KafkaSignalChannel(CaptureContext context, Resnapshots resnapshots)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var options = context.Options;
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.SignalKafkaGroupId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AllowAutoCreateTopics = true,
            SocketTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            ReconnectBackoffMaxMs = Cdc.Common.Kafka.KafkaTimeouts.ReconnectBackoffMaxMs,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetErrorHandler((_, _) => { }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartition(options.SignalKafkaTopicName, 0));
        Log.KafkaSignalChannel(context.Logger, options.SignalKafkaTopicName, options.SignalKafkaGroupId);
        while (!stopping.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(500)), stopping);
            }
            catch (ConsumeException)
            {
                // The topic does not exist yet, or Kafka is away: try again.
                await Task.Delay(TimeSpan.FromSeconds(1), context.Time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (result?.Message is not { } message)
            {
                continue;
            }

            await ForwardAsync(result, message, stopping);
            consumer.Commit([new TopicPartitionOffset(result.TopicPartition, result.Offset + 1)]);
        }
    }

    private async Task ForwardAsync(ConsumeResult<byte[]?, byte[]?> result, Message<byte[]?, byte[]?> message, CancellationToken stopping)
    {
        var key = message.Key is null ? null : Encoding.UTF8.GetString(message.Key);
        var id = $"kafka-{result.Partition.Value}-{result.Offset.Value}";
        if (key != context.Options.TopicPrefix)
        {
            Log.SignalIgnored(context.Logger, id, $"its key '{key}' is not this connector's topic prefix '{context.Options.TopicPrefix}'");
            return;
        }

        string type;
        string? data;
        try
        {
            using var document = JsonDocument.Parse(message.Value ?? []);
            type = document.RootElement.GetProperty("type").GetString() ?? throw new FormatException("type is null");
            data = document.RootElement.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            Log.SignalIgnored(context.Logger, id, $"not a signal ({e.Message})");
            return;
        }

        // Waits for PostgreSQL like the stream does: the offset is committed only once the row is written.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await resnapshots.InsertAsync(id, type, data, stopping);
                Log.Signal(context.Logger, id, type, data);
                return;
            }
            catch (Npgsql.NpgsqlException e) when (!stopping.IsCancellationRequested)
            {
                Log.SignalWaiting(context.Logger, id, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), context.Time, stopping);
            }
        }
    }
}
