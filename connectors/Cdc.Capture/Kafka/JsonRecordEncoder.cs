using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;

namespace Cdc.Capture.Kafka;

/// <summary>Kafka's JsonConverter format (with or without <c>schemas.enable</c>).</summary>
internal sealed class JsonRecordEncoder(bool schemasEnable) : IRecordEncoder
{
    private readonly DebeziumJsonEncoder _encoder = new(new DebeziumJsonEncoderOptions { SchemasEnable = schemasEnable });

    public ValueTask<(byte[]? Key, byte[]? Value)> EncodeAsync(string topic, ConnectSchema? keySchema, ConnectSchema envelopeSchema, ChangeRecord record, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_encoder.Encode(keySchema, envelopeSchema, record));

    public ValueTask<byte[]> EncodeStructAsync(string topic, bool isKey, ConnectSchema schema, RowImage row, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_encoder.EncodeStruct(schema, row));
}
