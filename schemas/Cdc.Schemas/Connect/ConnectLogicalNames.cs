namespace Cdc.Schemas.Connect;

/// <summary>
/// Logical schema names (<see cref="ConnectSchema.Name"/>) and their parameter keys, as Kafka Connect and
/// Debezium's PostgreSQL connector write them.
/// </summary>
public static class ConnectLogicalNames
{
    public const string Decimal = "org.apache.kafka.connect.data.Decimal";
    public const string ConnectDate = "org.apache.kafka.connect.data.Date";
    public const string ConnectTime = "org.apache.kafka.connect.data.Time";
    public const string ConnectTimestamp = "org.apache.kafka.connect.data.Timestamp";

    public const string VariableScaleDecimal = "io.debezium.data.VariableScaleDecimal";
    public const string Bits = "io.debezium.data.Bits";
    public const string Json = "io.debezium.data.Json";
    public const string Enum = "io.debezium.data.Enum";
    public const string EnumSet = "io.debezium.data.EnumSet";
    public const string Uuid = "io.debezium.data.Uuid";
    public const string Xml = "io.debezium.data.Xml";
    public const string Ltree = "io.debezium.data.Ltree";
    public const string TsVector = "io.debezium.data.TsVector";
    public const string Point = "io.debezium.data.geometry.Point";

    public const string Date = "io.debezium.time.Date";
    public const string Time = "io.debezium.time.Time";
    public const string MicroTime = "io.debezium.time.MicroTime";
    public const string NanoTime = "io.debezium.time.NanoTime";
    public const string Timestamp = "io.debezium.time.Timestamp";
    public const string MicroTimestamp = "io.debezium.time.MicroTimestamp";
    public const string NanoTimestamp = "io.debezium.time.NanoTimestamp";
    public const string ZonedTimestamp = "io.debezium.time.ZonedTimestamp";
    public const string ZonedTime = "io.debezium.time.ZonedTime";
    public const string MicroDuration = "io.debezium.time.MicroDuration";
    public const string Interval = "io.debezium.time.Interval";
    public const string Year = "io.debezium.time.Year";

    /// <summary>Decimal parameter: the scale (required).</summary>
    public const string ScaleParameter = "scale";

    /// <summary>Decimal parameter Debezium adds: the column's declared precision.</summary>
    public const string PrecisionParameter = "connect.decimal.precision";

    /// <summary>Bits parameter: the declared number of bits (2^31-1 for an unbounded <c>bit varying</c>).</summary>
    public const string LengthParameter = "length";

    /// <summary>
    /// Debezium's source-type parameter (<c>column.propagate.source.type</c>, <c>datatype.propagate.source.type</c>):
    /// the column's type name, upper case (<c>NUMERIC</c>, <c>_NUMERIC</c> for an array).
    /// </summary>
    public const string SourceColumnTypeParameter = "__debezium.source.column.type";

    /// <summary>Source-type parameter: the column's length (a numeric's precision).</summary>
    public const string SourceColumnLengthParameter = "__debezium.source.column.length";

    /// <summary>Source-type parameter: the column's scale.</summary>
    public const string SourceColumnScaleParameter = "__debezium.source.column.scale";

    /// <summary>Enum parameter: the allowed values, comma-separated.</summary>
    public const string AllowedParameter = "allowed";
}
