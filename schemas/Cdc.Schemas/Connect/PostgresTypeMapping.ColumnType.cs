using System.Globalization;

namespace Cdc.Schemas.Connect;

public static partial class PostgresTypeMapping
{
    /// <summary>
    /// The PostgreSQL column type a sink creates for a field of <paramref name="schema"/>: Debezium's source-type
    /// parameters decide first for the types whose values carry no type of their own (a <c>NUMERIC</c> or <c>MONEY</c>
    /// sent as a string or a double becomes <c>numeric(p,s)</c> or <c>money</c>; an <c>INET</c>, <c>CIDR</c>,
    /// <c>MACADDR</c> or range string its own type), then
    /// the logical name (Decimal → <c>numeric(p,s)</c> or <c>numeric</c>, MicroTimestamp → <c>timestamp(6) without time zone</c>,
    /// Bits → <c>bit(n)</c> or <c>bit varying</c>, Json → <c>jsonb</c>, ...), then the Connect type; arrays
    /// append <c>[]</c>; maps and structs become <c>jsonb</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An array schema without items.</exception>
    public static string ColumnTypeFor(ConnectSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (SourceColumnType(schema) is { } source)
        {
            return source;
        }

        var logical = schema.Name switch
        {
            ConnectLogicalNames.Decimal => DecimalColumn(schema),
            ConnectLogicalNames.VariableScaleDecimal => "numeric",
            ConnectLogicalNames.Date or ConnectLogicalNames.ConnectDate => "date",
            ConnectLogicalNames.Time or ConnectLogicalNames.ConnectTime => "time(3)",
            ConnectLogicalNames.MicroTime or ConnectLogicalNames.NanoTime => "time(6)",
            ConnectLogicalNames.Timestamp or ConnectLogicalNames.ConnectTimestamp => "timestamp(3) without time zone",
            ConnectLogicalNames.MicroTimestamp or ConnectLogicalNames.NanoTimestamp => "timestamp(6) without time zone",
            ConnectLogicalNames.ZonedTimestamp => "timestamp with time zone",
            ConnectLogicalNames.ZonedTime => "time with time zone",
            ConnectLogicalNames.Uuid => "uuid",
            ConnectLogicalNames.Json => "jsonb",
            ConnectLogicalNames.Xml => "xml",
            ConnectLogicalNames.Enum or ConnectLogicalNames.EnumSet or ConnectLogicalNames.Ltree or ConnectLogicalNames.TsVector => "text",
            ConnectLogicalNames.Bits => BitsColumn(schema),
            ConnectLogicalNames.MicroDuration or ConnectLogicalNames.Interval => "interval",
            ConnectLogicalNames.Year => "integer",
            ConnectLogicalNames.Point => "point",
            _ => null,
        };

        return logical ?? schema.Type switch
        {
            ConnectType.Boolean => "boolean",
            ConnectType.Int8 or ConnectType.Int16 => "smallint",
            ConnectType.Int32 => "integer",
            ConnectType.Int64 => "bigint",
            ConnectType.Float32 => "real",
            ConnectType.Float64 => "double precision",
            ConnectType.Bytes => "bytea",
            ConnectType.String => "text",
            ConnectType.Array => ColumnTypeFor(schema.Items ?? throw new ArgumentException("array schema without items", nameof(schema))) + "[]",
            _ => "jsonb",
        };
    }

    // numeric(p,s) for a precision PostgreSQL accepts (1 to 1000), plain numeric otherwise (131089: unconstrained).
    private static string? SourceColumnType(ConnectSchema schema)
    {
        var type = schema.Parameter(ConnectLogicalNames.SourceColumnTypeParameter)?.ToUpperInvariant();
        var array = type is not null && type.StartsWith('_');
        var column = (array ? type![1..] : type) switch
        {
            "NUMERIC" or "DECIMAL" =>
                int.TryParse(schema.Parameter(ConnectLogicalNames.SourceColumnLengthParameter), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 1000 &&
                int.TryParse(schema.Parameter(ConnectLogicalNames.SourceColumnScaleParameter) ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) && s is >= -1000 and <= 1000
                    ? string.Create(CultureInfo.InvariantCulture, $"numeric({p},{s})")
                    : "numeric",
            "MONEY" => "money",
            "INET" or "CIDR" or "MACADDR" or "MACADDR8" or "INT4RANGE" or "INT8RANGE" or "NUMRANGE" or "TSRANGE" or "TSTZRANGE" or "DATERANGE" =>
                (array ? type![1..] : type)!.ToLowerInvariant(),
            "VARBIT" when (array ? schema.Items : schema) is { Name: ConnectLogicalNames.Bits } bits => "bit varying" + BitsLength(bits) switch
            {
                { } length => string.Create(CultureInfo.InvariantCulture, $"({length})"),
                null => "",
            },
            _ => null,
        };
        return column is null ? null : array ? column + "[]" : column;
    }

    private static string DecimalColumn(ConnectSchema schema)
    {
        var precision = schema.Parameter(ConnectLogicalNames.PrecisionParameter);
        var scale = schema.Parameter(ConnectLogicalNames.ScaleParameter) ?? "0";
        return precision is not null &&
               int.TryParse(precision, NumberStyles.None, CultureInfo.InvariantCulture, out var p) &&
               int.TryParse(scale, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
            ? string.Create(CultureInfo.InvariantCulture, $"numeric({p},{s})")
            : "numeric";
    }

    private static string BitsColumn(ConnectSchema schema) =>
        BitsLength(schema) is { } length ? string.Create(CultureInfo.InvariantCulture, $"bit({length})") : "bit varying";

    // The declared length of a Bits schema, null when unbounded or absent.
    private static int? BitsLength(ConnectSchema schema) =>
        int.TryParse(schema.Parameter(ConnectLogicalNames.LengthParameter), NumberStyles.None, CultureInfo.InvariantCulture, out var length) &&
        length is > 0 and < UnboundedBitLength
            ? length
            : null;
}
