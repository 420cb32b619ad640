using Cdc.Schemas.Model;

namespace Cdc.Schemas;

/// <summary>
/// Decodes one Kafka record (key and value bytes) into a <see cref="ChangeRecord"/>. The JSON decoder is pure (no
/// I/O); the Avro decoder calls the Schema Registry only for a schema id it has not cached yet.
/// </summary>
public interface IChangeEventDecoder
{
    /// <param name="topic">The record's topic (for error messages).</param>
    /// <param name="key">The key bytes, or null.</param>
    /// <param name="value">The value bytes, or null for a Kafka tombstone.</param>
    /// <exception cref="EventDecodeException">The record is not a Debezium change event this decoder understands (poison).</exception>
    /// <exception cref="TransientDecodeException">Something the decoder depends on (the Schema Registry) is unreachable: retry later, never dead-letter.</exception>
    ChangeRecord Decode(string topic, byte[]? key, byte[]? value);
}
