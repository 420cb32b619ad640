using System.Globalization;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Connect;

/// <summary>
/// Debezium's PostgreSQL type mapping (PostgresValueConverter, with the <see cref="ValueHandling"/> given,
/// <c>time.precision.mode=adaptive</c>, <c>hstore.handling.mode=json</c>, <c>binary.handling.mode=bytes</c>,
/// <c>money.fraction.digits=2</c>) in both directions: the schema the source emits for a column type, and the column
/// type a sink creates for a schema. <c>numeric</c>, <c>decimal</c> and <c>money</c> columns carry Debezium's
/// source-type parameters (<c>datatype.propagate.source.type</c>), so a sink creates them as the type they are in
/// every decimal mode.
/// </summary>
public static partial class PostgresTypeMapping
{
    /// <summary>The <c>__debezium.source.column.length</c> Debezium gives an unconstrained <c>numeric</c>.</summary>
    public const int VariableScaleLength = 131_089;

    /// <summary>Debezium's Bits <c>length</c> for <c>bit varying</c> without a length (2^31-1).</summary>
    public const int UnboundedBitLength = BitsDecoder.UnboundedLength;

    /// <summary>
    /// The (optional) Connect schema Debezium emits for a column of <paramref name="pgType"/>, given as
    /// <c>format_type()</c> text (<c>numeric(10,2)</c>, <c>timestamp(3) without time zone</c>, <c>text[]</c>).
    /// Types Debezium does not know as built-ins (user enums, domains) map to string. Array types Debezium
    /// leaves out of events (DBZ-459: money[], interval[], bit varying[], xml[], point[]) get the element mapping.
    /// </summary>
    /// <param name="pgType">The column's type.</param>
    /// <param name="handling">The decimal and interval modes; <see cref="ValueHandling.Exact"/> when null.</param>
    /// <exception cref="ArgumentException">The text is not a type name.</exception>
    public static ConnectSchema SchemaFor(string pgType, ValueHandling? handling = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pgType);
        handling ??= ValueHandling.Exact;
        var type = PgTypeName.Parse(pgType);
        var element = ScalarSchema(type, handling);
        var schema = type.IsArray ? new ConnectSchema { Type = ConnectType.Array, Items = element } : element;
        return SourceType(type) is { } source ? WithSourceType(schema, source, type) : schema;
    }

    private static ConnectSchema ScalarSchema(PgTypeName type, ValueHandling handling)
    {
        var name = type.Name;
        if (name.StartsWith("interval", StringComparison.Ordinal))
        {
            return handling.Interval == IntervalHandlingMode.String
                ? Logical(ConnectType.String, ConnectLogicalNames.Interval)
                : Logical(ConnectType.Int64, ConnectLogicalNames.MicroDuration);
        }

        if (name is "numeric" or "decimal" or "money")
        {
            return handling.Decimal switch
            {
                DecimalHandlingMode.String => Plain(ConnectType.String),
                DecimalHandlingMode.Double => Plain(ConnectType.Float64),
                _ => name == "money" ? Decimal(scale: 2, precision: null) : Numeric(type),
            };
        }

        return name switch
        {
            "smallint" or "int2" or "smallserial" or "serial2" => Plain(ConnectType.Int16),
            "integer" or "int" or "int4" or "serial" or "serial4" => Plain(ConnectType.Int32),
            "bigint" or "int8" or "bigserial" or "serial8" or "oid" => Plain(ConnectType.Int64),
            "real" or "float4" => Plain(ConnectType.Float32),
            "double precision" or "float8" => Plain(ConnectType.Float64),
            "float" => Plain(type.Modifier(0) is <= 24 ? ConnectType.Float32 : ConnectType.Float64),
            "boolean" or "bool" => Plain(ConnectType.Boolean),
            "bytea" => Plain(ConnectType.Bytes),
            "uuid" => Logical(ConnectType.String, ConnectLogicalNames.Uuid),
            "json" or "jsonb" or "hstore" => Logical(ConnectType.String, ConnectLogicalNames.Json),
            "xml" => Logical(ConnectType.String, ConnectLogicalNames.Xml),
            "ltree" => Logical(ConnectType.String, ConnectLogicalNames.Ltree),
            "tsvector" => Logical(ConnectType.String, ConnectLogicalNames.TsVector),
            "date" => Logical(ConnectType.Int32, ConnectLogicalNames.Date),
            "time" or "time without time zone" => (type.Modifier(0) ?? 6) <= 3
                ? Logical(ConnectType.Int32, ConnectLogicalNames.Time)
                : Logical(ConnectType.Int64, ConnectLogicalNames.MicroTime),
            "timestamp" or "timestamp without time zone" => (type.Modifier(0) ?? 6) <= 3
                ? Logical(ConnectType.Int64, ConnectLogicalNames.Timestamp)
                : Logical(ConnectType.Int64, ConnectLogicalNames.MicroTimestamp),
            "time with time zone" or "timetz" => Logical(ConnectType.String, ConnectLogicalNames.ZonedTime),
            "timestamp with time zone" or "timestamptz" => Logical(ConnectType.String, ConnectLogicalNames.ZonedTimestamp),
            "bit" => Bits(type.Modifier(0) ?? 1),
            "bit varying" or "varbit" => Bits(type.Modifier(0) ?? UnboundedBitLength),
            "point" => Point(),
            _ => Plain(ConnectType.String),
        };
    }

    // The upper-case type name Debezium's PropagateSourceMetadataToSchemaParameter writes (pg_type.typname; arrays _name),
    // for the types whose values carry no type of their own: numbers in some decimal modes, network addresses and
    // ranges, which are plain strings, and bit varying (docs/design.md#type-mapping): with it a sink creates the
    // column's own type.
    private static string? SourceType(PgTypeName type) => (type.Name switch
    {
        "numeric" or "decimal" => "NUMERIC",
        "money" => "MONEY",
        "inet" or "cidr" or "macaddr" or "macaddr8" or "int4range" or "int8range" or "numrange" or "tsrange" or "tstzrange" or "daterange" => type.Name.ToUpperInvariant(),
        // A bit varying(n) and a bit(n) are the same Bits schema: the store needs the type to keep a value's own length.
        // An array's is on the array schema (_VARBIT), as Debezium propagates it.
        "bit varying" or "varbit" when type.Modifier(0) is not 1 => "VARBIT",
        _ => null,
    }) is { } name ? (type.IsArray ? "_" + name : name) : null;

    // Length and scale as Debezium's column metadata has them: precision and scale, or for an unconstrained numeric
    // PostgreSQL's variable-scale length 131089 and scale 0.
    private static ConnectSchema WithSourceType(ConnectSchema schema, string source, PgTypeName type)
    {
        var parameters = new Dictionary<string, string>(schema.Parameters, StringComparer.Ordinal)
        {
            [ConnectLogicalNames.SourceColumnTypeParameter] = source,
        };
        if (type.Name is "numeric" or "decimal")
        {
            parameters[ConnectLogicalNames.SourceColumnLengthParameter] = (type.Modifier(0) ?? VariableScaleLength).ToString(CultureInfo.InvariantCulture);
            parameters[ConnectLogicalNames.SourceColumnScaleParameter] = (type.Modifier(1) ?? 0).ToString(CultureInfo.InvariantCulture);
        }

        return schema with { Parameters = parameters };
    }

    // numeric without precision and scale has no fixed scale: a {scale, value} struct.
    private static ConnectSchema Numeric(PgTypeName type) =>
        type.Modifier(0) is { } precision
            ? Decimal(type.Modifier(1) ?? 0, precision)
            : new ConnectSchema
            {
                Type = ConnectType.Struct,
                Name = ConnectLogicalNames.VariableScaleDecimal,
                Version = 1,
                Fields =
                [
                    new ConnectField("scale", new ConnectSchema { Type = ConnectType.Int32, Optional = false }),
                    new ConnectField("value", new ConnectSchema { Type = ConnectType.Bytes, Optional = false }),
                ],
            };

    private static ConnectSchema Decimal(int scale, int? precision)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ConnectLogicalNames.ScaleParameter] = scale.ToString(CultureInfo.InvariantCulture),
        };
        if (precision is { } p)
        {
            parameters[ConnectLogicalNames.PrecisionParameter] = p.ToString(CultureInfo.InvariantCulture);
        }

        return new ConnectSchema { Type = ConnectType.Bytes, Name = ConnectLogicalNames.Decimal, Version = 1, Parameters = parameters };
    }

    // bit(1) and bit varying(1) are booleans.
    private static ConnectSchema Bits(int length) =>
        length <= 1
            ? Plain(ConnectType.Boolean)
            : new ConnectSchema
            {
                Type = ConnectType.Bytes,
                Name = ConnectLogicalNames.Bits,
                Version = 1,
                Parameters = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [ConnectLogicalNames.LengthParameter] = length.ToString(CultureInfo.InvariantCulture),
                },
            };

    private static ConnectSchema Point() =>
        new()
        {
            Type = ConnectType.Struct,
            Name = ConnectLogicalNames.Point,
            Version = 1,
            Fields =
            [
                new ConnectField("x", new ConnectSchema { Type = ConnectType.Float64, Optional = false }),
                new ConnectField("y", new ConnectSchema { Type = ConnectType.Float64, Optional = false }),
                new ConnectField("wkb", Plain(ConnectType.Bytes)),
                new ConnectField("srid", Plain(ConnectType.Int32)),
            ],
        };

    private static ConnectSchema Plain(ConnectType type) => new() { Type = type };

    private static ConnectSchema Logical(ConnectType type, string name) => new() { Type = type, Name = name, Version = 1 };
}
