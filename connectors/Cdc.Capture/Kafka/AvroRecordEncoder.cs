using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Capture.Kafka;

/// <summary>Confluent's AvroConverter format: schemas registered per topic, records framed with their ids.</summary>
internal sealed class AvroRecordEncoder(DebeziumAvroEncoder encoder) : IRecordEncoder
{
    public async ValueTask<(byte[]? Key, byte[]? Value)> EncodeAsync(string topic, ConnectSchema? keySchema, ConnectSchema envelopeSchema, ChangeRecord record, CancellationToken cancellationToken) =>
        await encoder.EncodeAsync(topic, keySchema, envelopeSchema, record, cancellationToken);

    public async ValueTask<byte[]> EncodeStructAsync(string topic, bool isKey, ConnectSchema schema, RowImage row, CancellationToken cancellationToken) =>
        await encoder.SerializeAsync(topic, isKey, schema, row, cancellationToken);
}
