namespace Cdc.Schemas.Avro;

/// <summary>Settings for <see cref="DebeziumAvroEncoder"/>, named after AvroConverter's.</summary>
public sealed class DebeziumAvroEncoderOptions
{
    /// <summary>
    /// <c>auto.register.schemas</c>: register each new schema under its subject (default true); when false, only
    /// look the id up and fail if the schema was not registered beforehand.
    /// </summary>
    public bool AutoRegisterSchemas { get; init; } = true;
}
