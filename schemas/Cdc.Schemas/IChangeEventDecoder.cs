using Cdc.Schemas.Model;

namespace Cdc.Schemas;

/// <summary>Decodes one Kafka record (key and value bytes) into a <see cref="ChangeRecord"/>. Pure: no I/O.</summary>
public interface IChangeEventDecoder
{
    /// <param name="topic">The record's topic (for error messages).</param>
    /// <param name="key">The key bytes, or null.</param>
    /// <param name="value">The value bytes, or null for a Kafka tombstone.</param>
    /// <exception cref="EventDecodeException">The record is not a Debezium change event this decoder understands.</exception>
    ChangeRecord Decode(string topic, byte[]? key, byte[]? value);
}
