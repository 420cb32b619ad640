using System.Text;
using System.Text.Json;
using Cdc.Sink.Configuration;
using Cdc.Sink.Worker;
using Cdc.Store.Bookkeeping;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Sink.Gaps;

/// <summary>
/// Sends the requested heals to the source connector (docs/design.md#no-silent-loss): one Kafka signal per table,
/// Debezium's Kafka signal channel format (key = the connector's <c>topic.prefix</c>, value
/// <c>{"type":"execute-snapshot","data":{"data-collections":["schema.table"],"type":"INCREMENTAL"}}</c>, partition 0:
/// Debezium reads only that one), which Debezium and the .NET connector both answer with an incremental snapshot of
/// the table. Claimed with <c>FOR UPDATE SKIP LOCKED</c>, so several instances of a group never send one heal twice;
/// marked signalled only once Kafka acknowledged the signal. Paced: at most one per table per <see cref="HealOptions.Pace"/>.
/// </summary>
internal sealed class HealSignaller(
    NpgsqlDataSource store, HealRequests heals, IProducer<byte[]?, byte[]?> producer, SinkOptions options, SinkMetrics metrics, ILogger logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>A gap was recorded: look now rather than at the next tick.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (options.Heal.Signal)
                {
                    await SignalOnceAsync(stopping);
                }

                metrics.HealsOpen = await heals.OpenAsync(store, options.Kafka.GroupId, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: a heal claimed but not yet signalled stays 'requested' (its transaction rolls back).
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.HealSignalFailed(logger, "pending heals", e.Message);
            }

            try
            {
                await _wake.WaitAsync(Interval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <returns>Heals signalled.</returns>
    public async Task<int> SignalOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await heals.ClaimAsync(connection, transaction, options.Kafka.GroupId, [HealRequests.Requested], options.Heal.Pace, cancellationToken);
        // One table per round: the pace counts from this signal for the next.
        var table = claimed.GroupBy(h => (h.TopicPrefix, h.SourceTable)).FirstOrDefault();
        if (table is null || table.Key.TopicPrefix.Length == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var (prefix, source) = table.Key;
        var topic = options.Heal.SignalTopic ?? $"{prefix}-signal";
        var value = JsonSerializer.Serialize(new { type = "execute-snapshot", data = new Dictionary<string, object> { ["data-collections"] = new[] { source }, ["type"] = "INCREMENTAL" } });
        var delivered = await producer.ProduceAsync(
            new TopicPartition(topic, 0),
            new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(prefix), Value = Encoding.UTF8.GetBytes(value) },
            cancellationToken);
        await heals.MarkAsync(connection, transaction, table.Select(h => h.Id), HealRequests.Signalled, $"execute-snapshot of {source} sent to {topic} at offset {delivered.Offset.Value}", null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.HealsRequested.Add(1, new KeyValuePair<string, object?>("table", source));
        Log.HealSignalled(logger, topic, prefix, source, table.Count());
        return table.Count();
    }
}
