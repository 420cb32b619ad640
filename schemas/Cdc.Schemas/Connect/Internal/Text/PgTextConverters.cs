namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>Chooses the text parser for a (schema, PostgreSQL type) pair once; see <see cref="PostgresText"/>.</summary>
internal static class PgTextConverters
{
    public static Func<string, object?> Create(ConnectSchema schema, PgTypeName type, bool exactBits)
    {
        if (schema.Type == ConnectType.Array)
        {
            var items = schema.Items ?? throw new ArgumentException("array schema without items", nameof(schema));
            var element = Scalar(items, type with { IsArray = false }, exactBits);

            // box is the only built-in type whose array delimiter is not a comma (typdelim).
            var delimiter = type.Name == "box" ? ';' : ',';
            return text => PgArrayText.Parse(text, delimiter, element);
        }

        return type.IsArray
            ? throw new ArgumentException($"{type.Name}[] needs an array schema, not {JsonValueReader.Describe(schema)}", nameof(schema))
            : Scalar(schema, type, exactBits);
    }

    private static Func<string, object> Scalar(ConnectSchema schema, PgTypeName type, bool exactBits) =>
        schema.Type switch
        {
            ConnectType.Boolean => type.Name is "bit" or "bit varying" or "varbit" ? PgScalarText.SingleBit : PgScalarText.Boolean,
            ConnectType.Int8 => PgScalarText.Int8,
            ConnectType.Int16 => PgScalarText.Int16,
            ConnectType.Int32 => schema.Name switch
            {
                ConnectLogicalNames.Date => PgDateTimeText.Date,
                ConnectLogicalNames.Time => PgDateTimeText.TimeMillis,
                _ => PgScalarText.Int32,
            },
            ConnectType.Int64 => schema.Name switch
            {
                ConnectLogicalNames.Timestamp => PgDateTimeText.TimestampMillis,
                ConnectLogicalNames.MicroTimestamp => PgDateTimeText.TimestampMicros,
                ConnectLogicalNames.MicroTime => PgDateTimeText.TimeMicros,
                ConnectLogicalNames.MicroDuration => PgIntervalText.MicroDuration,
                _ => PgScalarText.Int64,
            },
            ConnectType.Float32 => PgScalarText.Float32,
            ConnectType.Float64 => type.Name switch
            {
                "numeric" or "decimal" => PgNumericText.DecimalDouble,
                "money" => PgNumericText.MoneyDouble,
                _ => PgScalarText.Float64,
            },
            ConnectType.Bytes => Bytes(schema, type, exactBits),
            ConnectType.String => schema.Name switch
            {
                null when type.Name is "numeric" or "decimal" => PgNumericText.DecimalString,
                null when type.Name == "money" => PgNumericText.MoneyString,
                ConnectLogicalNames.Interval => PgIntervalText.Iso,
                ConnectLogicalNames.Uuid => PgScalarText.Uuid,
                ConnectLogicalNames.ZonedTimestamp => PgDateTimeText.ZonedTimestamp,
                ConnectLogicalNames.ZonedTime => PgDateTimeText.ZonedTime,
                ConnectLogicalNames.Json when type.Name == "hstore" => HstoreText.ToJson,
                _ => PgScalarText.Text,
            },
            ConnectType.Struct => schema.Name switch
            {
                ConnectLogicalNames.VariableScaleDecimal => PgNumericText.VariableScale,
                ConnectLogicalNames.Point => text => PgScalarText.Point(text, schema),
                _ => throw Unsupported(schema, type),
            },
            ConnectType.Map when type.Name == "hstore" => HstoreText.ToMap,
            _ => throw Unsupported(schema, type),
        };

    private static Func<string, object> Bytes(ConnectSchema schema, PgTypeName type, bool exactBits)
    {
        switch (schema.Name)
        {
            case ConnectLogicalNames.Decimal:
                var scale = PgNumericText.ScaleOf(schema);
                return type.Name == "money" ? text => PgNumericText.Money(text, scale) : text => PgNumericText.Fixed(text, scale);
            case ConnectLogicalNames.Bits:
                var length = schema.Parameter(ConnectLogicalNames.LengthParameter);
                var exact = exactBits && type.Name is "bit varying" or "varbit";
                return text => PgScalarText.Bits(text, length, exact);
            case null:
                return PgScalarText.Bytea;
            default:
                throw Unsupported(schema, type);
        }
    }

    private static ArgumentException Unsupported(ConnectSchema schema, PgTypeName type) =>
        new($"no text conversion of {type.Name} to {JsonValueReader.Describe(schema)}", nameof(schema));
}
