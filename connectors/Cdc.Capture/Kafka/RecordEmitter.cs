using Cdc.Capture.Source;
using Cdc.Capture.Worker;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Transactions;
using Confluent.Kafka;

namespace Cdc.Capture.Kafka;

/// <summary>
/// Encodes a table's records and hands them to the producer inside a delivery unit, counting each change. A record over
/// <c>MaxRecordBytes</c> is not sent: the row is recorded as skipped (<see cref="SkippedRows"/>).
/// </summary>
internal sealed class RecordEmitter(IRecordEncoder encoder, EventProducer producer, CaptureMetrics metrics, SkippedRows skipped, int maxRecordBytes)
{
    public EventProducer Producer => producer;

    public SkippedRows Skipped => skipped;

    public IRecordEncoder Encoder => encoder;

    public async ValueTask EmitAsync(TableShape shape, RowImage? key, ChangeEvent change, DeliveryUnit unit, CancellationToken cancellationToken)
    {
        var (k, v) = await encoder.EncodeAsync(shape.Topic, shape.KeySchema, shape.EnvelopeSchema, new ChangeRecord(key, change), cancellationToken);
        var bytes = (long)(k?.Length ?? 0) + (v?.Length ?? 0);
        if (bytes > maxRecordBytes)
        {
            await skipped.SkipAsync(shape, key, SkippedRows.Oversize, $"its record is {bytes:N0} bytes, over the limit of {maxRecordBytes:N0} (--max-record-bytes, the producer's message.max.bytes)", bytes, unit, change.Source.Lsn, cancellationToken);
            return;
        }

        try
        {
            await producer.ProduceAsync(shape.Topic, k, v, unit, cancellationToken, headers: BitLengths(shape, key, change));
        }
        catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.MsgSizeTooLarge)
        {
            await skipped.SkipAsync(shape, key, SkippedRows.Oversize, $"its record is {bytes:N0} bytes; the producer refused it ({e.Error.Reason})", bytes, unit, change.Source.Lsn, cancellationToken);
            return;
        }

        metrics.Changes.Add(1, new KeyValuePair<string, object?>("table", shape.QualifiedName), new KeyValuePair<string, object?>("op", change.Operation.Code()));
    }

    /// <summary>
    /// The <see cref="BitLengthsHeader"/> of a change with <c>bit varying</c> values (in its images or its key, alone or
    /// in arrays), else null: Debezium's Bits bytes drop leading zeros and carry no value length.
    /// </summary>
    private static Headers? BitLengths(TableShape shape, RowImage? key, ChangeEvent change)
    {
        if (!shape.HasBitVarying)
        {
            return null;
        }

        var header = BitLengthsHeader.Encode(Lengths(shape, change.Before), Lengths(shape, change.After), Lengths(shape, key));
        return header is null ? null : new Headers { { BitLengthsHeader.Name, header } };
    }

    private static Dictionary<string, BitLength>? Lengths(TableShape shape, RowImage? image)
    {
        Dictionary<string, BitLength>? lengths = null;
        if (image is null)
        {
            return null;
        }

        foreach (var column in shape.Columns)
        {
            if (column.IsBitVarying && image.TryGet(column.Name, out var c) && Length(c.Value) is { } length)
            {
                (lengths ??= new(StringComparer.Ordinal))[column.Name] = length;
            }
        }

        return lengths;
    }

    private static BitLength? Length(object? value) => value switch
    {
        BitString { Exact: true } bits => bits.Bits.Length,
        IReadOnlyList<object?> elements => BitLength.Of(elements.Select(e => e is BitString { Exact: true } b ? b.Bits.Length : (int?)null).ToArray()),
        _ => null,
    };

    /// <summary>A BEGIN or END record, always to partition 0 of the transaction topic: its readers rely on commit order.</summary>
    public async ValueTask EmitTransactionAsync(string topic, TransactionMetadata record, DeliveryUnit unit, CancellationToken cancellationToken)
    {
        var key = await encoder.EncodeStructAsync(topic, true, DebeziumConnectSchemas.TransactionKey, TransactionMetadata.KeyRow(record.Id), cancellationToken);
        var value = await encoder.EncodeStructAsync(topic, false, DebeziumConnectSchemas.TransactionValue, record.ToRow(), cancellationToken);
        await producer.ProduceAsync(topic, key, value, unit, cancellationToken, partition: 0);
    }

    /// <summary>The Kafka tombstone (same key, null value) Debezium sends after a delete.</summary>
    public async ValueTask EmitTombstoneAsync(TableShape shape, RowImage key, DeliveryUnit unit, CancellationToken cancellationToken)
    {
        var (k, _) = await encoder.EncodeAsync(shape.Topic, shape.KeySchema, shape.EnvelopeSchema, new ChangeRecord(key, null), cancellationToken);
        await producer.ProduceAsync(shape.Topic, k, null, unit, cancellationToken);
    }
}
