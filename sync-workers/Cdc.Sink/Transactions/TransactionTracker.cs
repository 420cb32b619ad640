using System.Globalization;
using System.Text;
using Cdc.Common.Postgres;
using Cdc.Schemas;
using Cdc.Schemas.Transactions;
using Cdc.Sink.Configuration;
using Cdc.Sink.Worker;
using Cdc.Store.Transactions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Sink.Transactions;

/// <summary>
/// Follows Debezium's transaction topic (partition 0, in commit order) and the connector's heartbeats beside the sink's
/// own consumer: each BEGIN and END becomes a row in the store (END: the commit LSN and how many of its events this
/// subsystem consumes), then states and the watermark are evaluated from the event rows the sink's batches write. Every
/// instance of a subsystem reads the whole topic; the rows are idempotent, so the store's view is whole.
/// </summary>
internal sealed class TransactionTracker(
    SinkOptions options, string topic, NpgsqlDataSource store, TransactionStore transactions, IChangeEventDecoder decoder, SinkMetrics metrics, ILogger logger, TimeProvider time, TransactionEnds? ends = null)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private readonly string _prefix = topic[..topic.LastIndexOf('.')];
    private readonly List<(long Lsn, long RequiredOffset)> _heartbeats = [];
    private readonly List<(long Xid, TransactionEnd End)> _read = [];

    public async Task RunAsync(CancellationToken stopping)
    {
        Log.TrackingTransactions(logger, topic, (long)options.Transactions.Sla.TotalMilliseconds, options.Transactions.Retention);
        var heartbeatTopic = $"__debezium-heartbeat.{_prefix}";
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(heartbeatTopic, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.TrackingFailed(logger, $"{e.GetType().Name}: {e.Message}");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task FollowAsync(string heartbeatTopic, CancellationToken stopping)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.Kafka.BootstrapServers,
            GroupId = $"{options.Kafka.GroupId}.transactions",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
            // A fetch left unanswered by a broker that went away is sent again after 10 s, not librdkafka's 60 s, in
            // which no transaction could be reported complete (the chaos run's brokers-down fault).
            SocketTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            ReconnectBackoffMaxMs = Cdc.Common.Kafka.KafkaTimeouts.ReconnectBackoffMaxMs,
        };
        foreach (var (key, value) in options.Kafka.Consumer.Where(p => !p.Key.StartsWith("group.", StringComparison.Ordinal)))
        {
            config.Set(key, value);
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetErrorHandler((_, _) => { }).Build();
        var next = await transactions.NextOffsetAsync(store, stopping);
        var transactionPartition = new TopicPartition(topic, 0);
        consumer.Assign(new TopicPartitionOffset(transactionPartition, next));
        var heartbeatsAssigned = false;
        var lastPrune = time.GetTimestamp();
        var lastHeartbeatLook = 0L;
        while (!stopping.IsCancellationRequested)
        {
            if (!heartbeatsAssigned && (lastHeartbeatLook == 0 || time.GetElapsedTime(lastHeartbeatLook) > TimeSpan.FromSeconds(1)))
            {
                lastHeartbeatLook = time.GetTimestamp();
                heartbeatsAssigned = AssignHeartbeats(consumer, heartbeatTopic);
            }

            var marks = new List<TransactionMark>();
            var values = new List<ConsumeResult<byte[]?, byte[]?>>();
            var first = true;
            while (values.Count < 1000 && consumer.Consume(first ? Tick : TimeSpan.Zero) is { } result)
            {
                first = false;
                if (!result.IsPartitionEOF)
                {
                    values.Add(result);
                }
            }

            var before = next;
            await ReadAsync(consumer, values, marks, transactionPartition, n => next = Math.Max(next, n), stopping);
            var safe = SafeHeartbeat(next);
            if (marks.Count > 0 || next != before || safe is not null)
            {
                await transactions.SaveAsync(store, marks, next, safe, stopping);
            }

            // Handed to the worker only once saved: what it does not find here it finds in the store.
            foreach (var (xid, end) in _read)
            {
                ends?.Add(xid, end);
            }

            _read.Clear();

            await EvaluateAsync(stopping);
            if (time.GetElapsedTime(lastPrune) > TimeSpan.FromMinutes(1))
            {
                lastPrune = time.GetTimestamp();
                await transactions.PruneAsync(store, options.Transactions.Retention, stopping);
            }
        }
    }

    private async Task ReadAsync(
        IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> records, List<TransactionMark> marks, TopicPartition transactionPartition, Action<long> advanced, CancellationToken stopping)
    {
        var metadata = records.Where(r => r.Topic == topic && r.Message.Value is not null).ToList();
        await decoder.PrepareAsync(metadata.Select(r => r.Message.Value), stopping);
        foreach (var record in records)
        {
            if (record.Topic != topic)
            {
                OnHeartbeat(consumer, record, transactionPartition);
                continue;
            }

            advanced(record.Offset.Value + 1);
            if (record.Message.Value is not { } value)
            {
                continue;
            }

            try
            {
                var parsed = TransactionMetadata.FromRow(decoder.DecodeStruct(record.Topic, value));
                if (parsed.Status == Schemas.Transactions.TransactionStatus.Begin)
                {
                    marks.Add(new TransactionMark(parsed.Xid, parsed.Lsn, null, parsed.TsMs, null, null));
                    continue;
                }

                var perTopic = ExpectedPerTopic(parsed);
                var expected = perTopic.Values.Sum();
                marks.Add(new TransactionMark(parsed.Xid, null, parsed.Lsn, parsed.TsMs, parsed.EventCount, expected));
                if (expected > 0)
                {
                    _read.Add((parsed.Xid, new TransactionEnd(parsed.Lsn, expected, perTopic)));
                }
            }
            catch (EventDecodeException e)
            {
                Log.NotTransactionRecord(logger, record.Topic, record.Offset.Value, e.Message);
            }
        }
    }

    /// <summary>The END's events this subsystem consumes, per topic: those of the tables whose topics it reads.</summary>
    private Dictionary<string, long> ExpectedPerTopic(TransactionMetadata end) =>
        (end.DataCollections ?? [])
            .Select(c => (Topic: $"{_prefix}.{c.DataCollection}", c.EventCount))
            .Where(c => TransactionOptions.Consumes(options.Kafka, c.Topic))
            .GroupBy(c => c.Topic)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.EventCount));

    /// <summary>
    /// A heartbeat's position is safe once this tracker has read the transaction topic up to the end it had when the
    /// heartbeat was read: the connector produced it after every END at or below that position was acknowledged.
    /// </summary>
    private void OnHeartbeat(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> record, TopicPartition transactionPartition)
    {
        if (record.Message.Headers?.TryGetLastBytes(TransactionMetadata.HeartbeatLsnHeader, out var bytes) != true
            || !long.TryParse(Encoding.ASCII.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture, out var lsn))
        {
            return;
        }

        long high;
        try
        {
            high = consumer.QueryWatermarkOffsets(transactionPartition, TimeSpan.FromSeconds(5)).High.Value;
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.Local_UnknownPartition or ErrorCode.Local_UnknownTopic or ErrorCode.UnknownTopicOrPart)
        {
            // No transaction topic yet: no END was ever written, so nothing needs reading first.
            high = 0;
        }

        _heartbeats.Add((lsn, high));
    }

    private long? SafeHeartbeat(long next)
    {
        var safe = _heartbeats.Where(h => h.RequiredOffset <= next).Select(h => (long?)h.Lsn).Max();
        _heartbeats.RemoveAll(h => h.RequiredOffset <= next);
        return safe;
    }

    private bool AssignHeartbeats(IConsumer<byte[]?, byte[]?> consumer, string heartbeatTopic)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(heartbeatTopic, TimeSpan.FromSeconds(2));
        var partitions = metadata.Topics.FirstOrDefault(t => t.Topic == heartbeatTopic && t.Error.Code == ErrorCode.NoError)?.Partitions;
        if (partitions is not { Count: > 0 })
        {
            return false;
        }

        consumer.IncrementalAssign(partitions.Select(p => new TopicPartitionOffset(heartbeatTopic, p.PartitionId, Offset.End)));
        return true;
    }

    private async Task EvaluateAsync(CancellationToken stopping)
    {
        var (transitions, watermark) = await transactions.EvaluateAsync(store, stopping);
        metrics.SetWatermark(watermark.Lsn, watermark.OldestOpenCommit);
        foreach (var t in transitions.Where(t => TransactionStates.IsTerminal(t.State)))
        {
            var duration = t.Duration ?? TimeSpan.Zero;
            metrics.TransactionsFinished.Add(1, new KeyValuePair<string, object?>("state", t.State));
            metrics.TransactionDuration.Record(Math.Max(0, duration.TotalSeconds));
            if (duration > options.Transactions.Sla)
            {
                metrics.CountOverSla();
            }

            var commit = t.CommitLsn is { } c ? PgLsn.Format(c) : "?";
            if (t.State == TransactionStates.PartialFailure)
            {
                metrics.CountPartialFailure();
                Log.TransactionPartiallyFailed(logger, t.Xid, commit);
            }
            else
            {
                Log.TransactionFinished(logger, t.Xid, commit, t.State, (long)duration.TotalMilliseconds);
            }
        }
    }
}
