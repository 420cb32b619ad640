namespace Cdc.Schemas.Avro;

/// <summary>Settings for <see cref="DebeziumAvroDecoder"/>.</summary>
public sealed class DebeziumAvroDecoderOptions
{
    /// <summary>How many compiled writer schemas (by registry id) stay cached; the cache is cleared when full. Default 1024.</summary>
    public int SchemaCacheCapacity { get; init; } = 1024;
}
