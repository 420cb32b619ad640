using System.Globalization;
using System.Text;
using System.Text.Json;
using Cdc.Capture.Configuration;
using Cdc.Capture.Signals;
using Cdc.Capture.Source;
using Cdc.Capture.Worker;
using Cdc.Common.Postgres;
using Cdc.Schemas.Model;
using Confluent.Kafka;

namespace Cdc.Capture.Kafka;

/// <summary>
/// Rows the connector cannot send (docs/design.md#no-silent-loss): a record over <c>MaxRecordBytes</c> or refused by
/// the broker as too large (<c>oversize</c>), a value the decimal mode cannot carry (<c>unrepresentable</c>). Such a row
/// is never skipped silently and never re-sent in a loop: one error line names the table, key and size; a record saying
/// so goes to <c>&lt;prefix&gt;.skipped-rows</c> in the same delivery unit as the transaction's other records, so the slot
/// moves past the row only once Kafka acknowledged that record; it is counted (<c>cdc_capture_rows_skipped_total</c>,
/// alerted on). At each start the connector reads that topic back, and re-reads (incremental snapshot, by key) every row
/// whose reason is gone (the limit was raised, the decimal mode changed), then marks it healed (a tombstone).
/// </summary>
internal sealed class SkippedRows(CaptureContext context, EventProducer producer)
{
    public const string Oversize = "oversize";
    public const string Unrepresentable = "unrepresentable";

    private long _pending;

    public string Topic => context.Options.SkippedRowsTopic;

    /// <summary>Skipped rows not healed yet, as of the last start (the gauge an alert watches).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public async ValueTask SkipAsync(TableShape shape, RowImage? key, string kind, string reason, long? bytes, DeliveryUnit unit, long? lsn, CancellationToken cancellationToken)
    {
        var (recordKey, value) = Record(shape.QualifiedName, KeyText(key), kind, reason, bytes, lsn, Filter(shape, key));
        Log.RowSkipped(context.Logger, shape.QualifiedName, KeyText(key) ?? "(no key)", kind, bytes?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", reason, Topic);
        context.Metrics.RowsSkipped.Add(1, new KeyValuePair<string, object?>("table", shape.QualifiedName), new KeyValuePair<string, object?>("reason", kind));
        await producer.ProduceAsync(Topic, recordKey, value, unit, cancellationToken);
    }

    /// <summary>
    /// The broker refused a record as too large: called on the delivery thread before the record counts as done, it adds
    /// the skip record to the same unit, so the unit completes (and the slot moves) only once that one is acknowledged.
    /// </summary>
    public bool TryAbsorb(DeliveryReport<byte[]?, byte[]?> report, DeliveryUnit unit)
    {
        if (report.Error.Code != ErrorCode.MsgSizeTooLarge || report.Topic == Topic)
        {
            return false;
        }

        var table = StreamTable(report.Topic);
        var keyText = report.Message.Key is null ? null : Encoding.UTF8.GetString(report.Message.Key);
        long bytes = (report.Message.Key?.Length ?? 0) + (report.Message.Value?.Length ?? 0);
        var reason = $"the broker refused the record ({report.Error.Reason}): raise the topic's max.message.bytes";
        var (key, value) = Record(table, keyText, Oversize, reason, bytes, null, null);
        Log.RowSkipped(context.Logger, table, keyText ?? "(no key)", Oversize, bytes.ToString("N0", CultureInfo.InvariantCulture), reason, Topic);
        context.Metrics.RowsSkipped.Add(1, new KeyValuePair<string, object?>("table", table), new KeyValuePair<string, object?>("reason", Oversize));
        return producer.TryProduceNow(Topic, key, value, unit);
    }

    /// <summary>Reads the skipped rows back and re-reads those whose reason is gone; the rest are named again, once.</summary>
    public async Task HealPendingAsync(Resnapshots resnapshots, CancellationToken cancellationToken)
    {
        var pending = await Task.Run(ReadPending, cancellationToken);
        var still = 0L;
        using var healer = new ProducerBuilder<byte[]?, byte[]?>(EventProducer.Config(context.Options)).Build();
        foreach (var (key, row) in pending)
        {
            var healable = row.Kind == Oversize ? row.Bytes <= context.Options.EffectiveMaxRecordBytes : context.Options.ValueHandling.Decimal != Schemas.Connect.DecimalHandlingMode.Precise;
            if (!healable)
            {
                still++;
                Log.SkippedStillPending(context.Logger, row.Table, row.Key ?? "(no key)", row.Kind, row.Reason);
                continue;
            }

            await resnapshots.RequestAsync([row.Table], "skipped-row", row.Filter, cancellationToken);
            await healer.ProduceAsync(Topic, new Message<byte[]?, byte[]?> { Key = key, Value = null }, cancellationToken);
        }

        Interlocked.Exchange(ref _pending, still);
    }

    private List<(byte[] Key, SkippedRow Row)> ReadPending()
    {
        var config = new ConsumerConfig { BootstrapServers = context.Options.BootstrapServers, GroupId = $"{context.Options.Slot}-skipped-rows", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        var folded = new Dictionary<string, (byte[] Key, SkippedRow? Row)>(StringComparer.Ordinal);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = context.Options.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.FirstOrDefault(t => t.Topic == Topic && !t.Error.IsError);
        if (metadata is null)
        {
            return [];
        }

        // Only partitions holding records are read, all at once, each up to its end as of now: an empty partition has
        // nothing to wait for (waiting out a consume timeout on each one held every restart up for 10 s per partition).
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var partition in metadata.Partitions.Select(p => new TopicPartition(Topic, p.PartitionId)))
        {
            var marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (marks.High.Value > marks.Low.Value)
            {
                ends[partition] = marks.High.Value;
            }
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        while (ends.Count > 0)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10));
            if (result is null)
            {
                Log.SkippedRowsUnread(context.Logger, Topic, string.Join(", ", ends.Keys.Select(p => p.Partition.Value)));
                break;
            }

            if (result.Offset.Value + 1 >= ends.GetValueOrDefault(result.TopicPartition, long.MaxValue))
            {
                ends.Remove(result.TopicPartition);
            }

            if (result.Message.Key is { } key)
            {
                folded[Encoding.UTF8.GetString(key)] = (key, result.Message.Value is { } value ? JsonSerializer.Deserialize<SkippedRow>(value) : null);
            }
        }

        return [.. folded.Values.Where(v => v.Row is not null).Select(v => (v.Key, v.Row!))];
    }

    private (byte[] Key, byte[] Value) Record(string table, string? key, string kind, string reason, long? bytes, long? lsn, string? filter) =>
        (Encoding.UTF8.GetBytes($"{table}|{key}"),
         JsonSerializer.SerializeToUtf8Bytes(new SkippedRow(table, key, kind, reason, bytes, context.Options.EffectiveMaxRecordBytes, lsn, filter)));

    private static string? KeyText(RowImage? key) =>
        key is null ? null : JsonSerializer.Serialize(key.ToDictionary(c => c.Name, c => Convert.ToString(c.Value, CultureInfo.InvariantCulture)));

    /// <summary>The row by its key, for the re-read; null (the whole table) when a key value has no plain text form.</summary>
    private static string? Filter(TableShape shape, RowImage? key)
    {
        if (key is null)
        {
            return null;
        }

        var terms = new List<string>();
        for (var i = 0; i < shape.KeyIndexes.Length; i++)
        {
            var value = key[i].Value;
            if (value is not (string or IFormattable) || value is DateTime or DateTimeOffset or float or double)
            {
                return null;
            }

            var text = Convert.ToString(value, CultureInfo.InvariantCulture)!.Replace("'", "''", StringComparison.Ordinal);
            var column = shape.Columns[shape.KeyIndexes[i]];
            terms.Add($"{PgIdentifier.Quote(column.Name)} = CAST('{text}' AS {column.PgType})");
        }

        return string.Join(" AND ", terms);
    }

    private string StreamTable(string topic) =>
        topic.StartsWith(context.Options.TopicPrefix + ".", StringComparison.Ordinal) ? topic[(context.Options.TopicPrefix.Length + 1)..] : topic;
}
