namespace Cdc.Schemas.Json;

/// <summary>Settings for <see cref="DebeziumJsonDecoder"/>.</summary>
public sealed class DebeziumJsonDecoderOptions
{
    /// <summary>How many distinct schemas (keys and values of all tables) stay parsed; the cache is cleared when full. Default 1024.</summary>
    public int SchemaCacheCapacity { get; init; } = 1024;
}
