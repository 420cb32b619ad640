using Cdc.Schemas.Model;

namespace Cdc.Schemas;

/// <summary>
/// Decodes one Kafka record (key and value bytes) into a <see cref="ChangeRecord"/>, without I/O: whatever a batch
/// needs from elsewhere (the Avro decoder's writer schemas, from the Schema Registry) is fetched once per batch by
/// <see cref="PrepareAsync"/>, so decoding never waits on the network record by record.
/// </summary>
public interface IChangeEventDecoder
{
    /// <summary>Fetches what decoding <paramref name="payloads"/> (keys and values) needs and does not have yet.</summary>
    /// <exception cref="TransientDecodeException">Something the decoder depends on (the Schema Registry) is unreachable: retry later.</exception>
    ValueTask PrepareAsync(IEnumerable<byte[]?> payloads, CancellationToken cancellationToken = default);

    /// <param name="topic">The record's topic (for error messages).</param>
    /// <param name="key">The key bytes, or null.</param>
    /// <param name="value">The value bytes, or null for a Kafka tombstone.</param>
    /// <exception cref="EventDecodeException">The record is not a Debezium change event this decoder understands (poison).</exception>
    /// <exception cref="TransientDecodeException">What the record needs was not prepared (<see cref="PrepareAsync"/>) or
    /// could not be fetched: retry later, never dead-letter.</exception>
    ChangeRecord Decode(string topic, byte[]? key, byte[]? value);

    /// <summary>A value that is one plain struct, not an envelope: a BEGIN or END record of the transaction topic.</summary>
    /// <exception cref="EventDecodeException">The value is not a struct this decoder understands (poison).</exception>
    /// <exception cref="TransientDecodeException">Its schema was not prepared: retry later.</exception>
    RowImage DecodeStruct(string topic, byte[] value);
}
