using Cdc.Capture.Source;
using Cdc.Capture.Worker;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Model;
using Cdc.Schemas.Transactions;

namespace Cdc.Capture.Kafka;

/// <summary>Encodes a table's records and hands them to the producer inside a delivery unit, counting each change.</summary>
internal sealed class RecordEmitter(IRecordEncoder encoder, EventProducer producer, CaptureMetrics metrics)
{
    public EventProducer Producer => producer;

    public IRecordEncoder Encoder => encoder;

    public async ValueTask EmitAsync(TableShape shape, RowImage? key, ChangeEvent change, DeliveryUnit unit, CancellationToken cancellationToken)
    {
        var (k, v) = await encoder.EncodeAsync(shape.Topic, shape.KeySchema, shape.EnvelopeSchema, new ChangeRecord(key, change), cancellationToken);
        await producer.ProduceAsync(shape.Topic, k, v, unit, cancellationToken);
        metrics.Changes.Add(1, new KeyValuePair<string, object?>("table", shape.QualifiedName), new KeyValuePair<string, object?>("op", change.Operation.Code()));
    }

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
