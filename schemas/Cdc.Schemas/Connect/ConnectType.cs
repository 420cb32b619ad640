namespace Cdc.Schemas.Connect;

/// <summary>Kafka Connect's schema types (JsonConverter spells them lower-case).</summary>
public enum ConnectType
{
    Boolean,
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Bytes,
    String,
    Array,
    Map,
    Struct,
}
