namespace Cdc.Schemas.Json;

/// <summary>Settings for <see cref="DebeziumJsonEncoder"/>, named after Kafka's JsonConverter.</summary>
public sealed class DebeziumJsonEncoderOptions
{
    /// <summary>
    /// <c>schemas.enable</c>: wrap each key and value as <c>{"schema":{...},"payload":{...}}</c> (default true);
    /// when false, write the payload alone.
    /// </summary>
    public bool SchemasEnable { get; init; } = true;
}
