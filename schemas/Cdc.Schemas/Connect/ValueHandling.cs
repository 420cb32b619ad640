namespace Cdc.Schemas.Connect;

/// <summary>
/// The Debezium settings that change how a column's values travel (its Connect schema and value): <c>decimal.handling.mode</c>
/// and <c>interval.handling.mode</c>. <see cref="Exact"/> is the .NET connector's default and what
/// <c>connectors/debezium/shop-connector.json</c> sets: every value reaches a store as the primary prints it
/// (docs/design.md#type-mapping).
/// </summary>
public sealed record ValueHandling(DecimalHandlingMode Decimal, IntervalHandlingMode Interval)
{
    /// <summary><c>decimal.handling.mode=string</c>, <c>interval.handling.mode=string</c>: exact, NaN and ±Infinity included.</summary>
    public static ValueHandling Exact { get; } = new(DecimalHandlingMode.String, IntervalHandlingMode.String);

    /// <summary>Debezium's own defaults: <c>precise</c> decimals, <c>numeric</c> (approximate) intervals.</summary>
    public static ValueHandling DebeziumDefaults { get; } = new(DecimalHandlingMode.Precise, IntervalHandlingMode.Numeric);
}
