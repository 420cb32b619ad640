using Cdc.Schemas.Connect;

namespace Cdc.Sink.Configuration;

/// <summary>
/// How the connector encoded the values of records without schemas (JsonConverter <c>schemas.enable=false</c>), which
/// the sink reads against the target table's column types: the connector's <c>decimal.handling.mode</c> and
/// <c>interval.handling.mode</c>. Both default to <c>string</c>, the .NET connector's default and what
/// <c>connectors/debezium/shop-connector.json</c> sets (docs/design.md#type-mapping).
/// </summary>
public sealed class SchemalessOptions
{
    /// <summary><c>string</c>, <c>precise</c> or <c>double</c>.</summary>
    public string DecimalHandlingMode { get; set; } = "string";

    /// <summary><c>string</c> or <c>numeric</c>.</summary>
    public string IntervalHandlingMode { get; set; } = "string";

    /// <summary>The modes as the type mapping takes them (valid once the configuration was validated).</summary>
    public ValueHandling ValueHandling => new(
        Enum.Parse<Schemas.Connect.DecimalHandlingMode>(DecimalHandlingMode, ignoreCase: true),
        Enum.Parse<Schemas.Connect.IntervalHandlingMode>(IntervalHandlingMode, ignoreCase: true));
}
