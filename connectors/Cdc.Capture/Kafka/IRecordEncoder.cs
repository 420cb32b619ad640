using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Capture.Kafka;

/// <summary>Turns a record into Kafka key and value bytes, as a Connect converter would.</summary>
internal interface IRecordEncoder
{
    ValueTask<(byte[]? Key, byte[]? Value)> EncodeAsync(string topic, ConnectSchema? keySchema, ConnectSchema envelopeSchema, ChangeRecord record, CancellationToken cancellationToken);

    /// <summary>One struct (heartbeat key or value) on its own.</summary>
    ValueTask<byte[]> EncodeStructAsync(string topic, bool isKey, ConnectSchema schema, RowImage row, CancellationToken cancellationToken);
}
