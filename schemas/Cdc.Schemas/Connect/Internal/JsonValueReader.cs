using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// The JsonConverter value → .NET conversion behind <see cref="ConnectValue"/> (the table there is the contract).
/// Throws <see cref="ValueDecodeError"/>; callers add the path and turn it into an <see cref="EventDecodeException"/>.
/// <paramref name="column"/> marks a whole column value, the only place a TOAST placeholder can be.
/// </summary>
internal static class JsonValueReader
{
    public static object? Read(JsonElement element, ConnectSchema schema, bool column)
    {
        var kind = element.ValueKind;
        if (kind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return schema.Optional ? null : throw new ValueDecodeError($"null for a required {Describe(schema)}");
        }

        if (column && kind == JsonValueKind.String && element.ValueEquals(ToastPlaceholder.Text))
        {
            return Unavailable.Value;
        }

        return schema.Type switch
        {
            ConnectType.Boolean => kind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Mismatch(element, schema, "a boolean"),
            },
            ConnectType.Int8 => ReadInt8(element, schema),
            ConnectType.Int16 => element.ValueKind == JsonValueKind.Number && element.TryGetInt16(out var s)
                ? s
                : throw Mismatch(element, schema, "an integer in the int16 range"),
            ConnectType.Int32 => ReadInt32(element, schema),
            ConnectType.Int64 => ReadInt64(element, schema),
            ConnectType.Float32 => ReadFloat32(element, schema),
            ConnectType.Float64 => ReadFloat64(element, schema),
            ConnectType.Bytes => ReadBytes(element, schema, column),
            ConnectType.String => ReadString(element, schema, column),
            ConnectType.Array => ReadArray(element, schema, column),
            ConnectType.Map => ReadMap(element, schema, column),
            ConnectType.Struct => schema.Name == ConnectLogicalNames.VariableScaleDecimal
                ? ReadVariableScaleDecimal(element, schema)
                : ReadStruct(element, schema),
            _ => throw new ValueDecodeError($"unsupported schema type {schema.Type}"),
        };
    }

    /// <summary>A struct value as a row; fields in schema order, missing optional fields as null, unknown JSON fields ignored.</summary>
    public static RowImage ReadStruct(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(element, schema, "an object");
        }

        var fields = schema.Fields;
        var columns = new Column[fields.Count];
        var next = 0;
        foreach (var property in element.EnumerateObject())
        {
            var index = next < fields.Count && property.NameEquals(fields[next].Name) ? next : IndexOf(fields, property);
            if (index < 0)
            {
                continue;
            }

            var field = fields[index];
            try
            {
                columns[index] = new Column(field.Name, Read(property.Value, field.Schema, column: true), field.Schema);
            }
            catch (ValueDecodeError error)
            {
                error.PushField(field.Name);
                throw;
            }

            next = index + 1;
        }

        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Name is null)
            {
                var field = fields[i];
                if (!field.Schema.Optional)
                {
                    var error = new ValueDecodeError($"missing required {Describe(field.Schema)}");
                    error.PushField(field.Name);
                    throw error;
                }

                columns[i] = new Column(field.Name, null, field.Schema);
            }
        }

        return new RowImage(columns, owned: true);
    }

    public static string Describe(ConnectSchema schema) =>
        schema.Name ?? schema.Type.ToString().ToLowerInvariant();

    private static ValueDecodeError Mismatch(JsonElement element, ConnectSchema schema, string expected) =>
        new($"expected {expected} for {Describe(schema)}, got {JsonText.Kind(element)}");

    private static int IndexOf(IReadOnlyList<ConnectField> fields, JsonProperty property)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (property.NameEquals(fields[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    private static object ReadInt8(JsonElement element, ConnectSchema schema) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetSByte(out var value)
            ? (short)value
            : throw Mismatch(element, schema, "an integer in the int8 range");

    private static object ReadInt32(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value))
        {
            throw Mismatch(element, schema, "an integer in the int32 range");
        }

        return schema.Name switch
        {
            ConnectLogicalNames.Date or ConnectLogicalNames.ConnectDate => EpochTime.DateFromEpochDays(value),
            ConnectLogicalNames.Time or ConnectLogicalNames.ConnectTime => EpochTime.DurationFromMillis(value),
            _ => value,
        };
    }

    private static object ReadInt64(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw Mismatch(element, schema, "an integer in the int64 range");
        }

        return schema.Name switch
        {
            ConnectLogicalNames.MicroTimestamp => EpochTime.TimestampFromMicros(value),
            ConnectLogicalNames.Timestamp or ConnectLogicalNames.ConnectTimestamp => EpochTime.TimestampFromMillis(value),
            ConnectLogicalNames.NanoTimestamp => EpochTime.TimestampFromNanos(value),
            ConnectLogicalNames.MicroTime or ConnectLogicalNames.MicroDuration => EpochTime.DurationFromMicros(value),
            ConnectLogicalNames.NanoTime => EpochTime.DurationFromNanos(value),
            _ => value,
        };
    }

    private static object ReadFloat32(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out var value) && float.IsFinite(value))
        {
            return value;
        }

        return element.ValueKind == JsonValueKind.String && TrySpecialFloat(element, out var special)
            ? (float)special
            : throw Mismatch(element, schema, "a float32 number or \"NaN\"/\"Infinity\"/\"-Infinity\"");
    }

    private static object ReadFloat64(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        return element.ValueKind == JsonValueKind.String && TrySpecialFloat(element, out var special)
            ? special
            : throw Mismatch(element, schema, "a float64 number or \"NaN\"/\"Infinity\"/\"-Infinity\"");
    }

    // Jackson writes non-finite doubles as the strings NaN, Infinity and -Infinity.
    private static bool TrySpecialFloat(JsonElement element, out double value)
    {
        var text = JsonText.StringUtf8(element);
        if (text.SequenceEqual("NaN"u8))
        {
            value = double.NaN;
        }
        else if (text.SequenceEqual("Infinity"u8) || text.SequenceEqual("+Infinity"u8))
        {
            value = double.PositiveInfinity;
        }
        else if (text.SequenceEqual("-Infinity"u8))
        {
            value = double.NegativeInfinity;
        }
        else
        {
            value = 0;
            return false;
        }

        return true;
    }

    private static object ReadBytes(JsonElement element, ConnectSchema schema, bool column)
    {
        switch (schema.Name)
        {
            case ConnectLogicalNames.Decimal:
                return ReadDecimal(element, schema);
            case ConnectLogicalNames.Bits:
                return BitsDecoder.Decode(Base64(element, schema), schema.Parameter(ConnectLogicalNames.LengthParameter));
            default:
                if (element.ValueKind != JsonValueKind.String)
                {
                    throw Mismatch(element, schema, "a base64 string");
                }

                return column && element.ValueEquals(ToastPlaceholder.Base64) ? Unavailable.Value : Base64(element, schema);
        }
    }

    private static byte[] Base64(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Mismatch(element, schema, "a base64 string");
        }

        return element.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw new ValueDecodeError($"invalid base64 for {Describe(schema)}");
    }

    /// <summary>
    /// Base64 of the big-endian two's-complement unscaled value (JsonConverter's default), or a JSON number
    /// (<c>decimal.format=NUMERIC</c>). A string is base64 when it decodes as base64, as Kafka's converter
    /// reads it; only otherwise is it parsed as a numeric string.
    /// </summary>
    private static ExactDecimal ReadDecimal(JsonElement element, ConnectSchema schema)
    {
        var scaleText = schema.Parameter(ConnectLogicalNames.ScaleParameter);
        if (scaleText is null || !int.TryParse(scaleText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var scale))
        {
            throw new ValueDecodeError($"{ConnectLogicalNames.Decimal} schema without a valid '{ConnectLogicalNames.ScaleParameter}' parameter");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (element.TryGetBytesFromBase64(out var bytes) && bytes.Length > 0)
                {
                    return new ExactDecimal(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), scale);
                }

                return DecimalText.TryParse(JsonText.StringUtf8(element), out var fromString)
                    ? DecimalText.Rescale(fromString, scale)
                    : throw new ValueDecodeError($"invalid base64 or numeric text for {ConnectLogicalNames.Decimal}");
            case JsonValueKind.Number:
                return DecimalText.TryParse(JsonText.NumberUtf8(element), out var fromNumber)
                    ? DecimalText.Rescale(fromNumber, scale)
                    : throw new ValueDecodeError($"number out of range for {ConnectLogicalNames.Decimal}");
            default:
                throw Mismatch(element, schema, "a base64 string or a number");
        }
    }

    private static ExactDecimal ReadVariableScaleDecimal(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(element, schema, "an object {scale, value}");
        }

        if (!element.TryGetProperty("scale"u8, out var scaleElement) || scaleElement.ValueKind != JsonValueKind.Number ||
            !scaleElement.TryGetInt32(out var scale))
        {
            throw new ValueDecodeError($"{ConnectLogicalNames.VariableScaleDecimal} without an int32 'scale'");
        }

        if (!element.TryGetProperty("value"u8, out var valueElement) || valueElement.ValueKind != JsonValueKind.String ||
            !valueElement.TryGetBytesFromBase64(out var bytes) || bytes.Length == 0)
        {
            throw new ValueDecodeError($"{ConnectLogicalNames.VariableScaleDecimal} without a base64 'value'");
        }

        return new ExactDecimal(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), scale);
    }

    private static object ReadString(JsonElement element, ConnectSchema schema, bool column)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Mismatch(element, schema, "a string");
        }

        switch (schema.Name)
        {
            case ConnectLogicalNames.ZonedTimestamp:
                return IsoTimestamp.TryParse(JsonText.StringUtf8(element), out var timestamp, out var problem)
                    ? timestamp
                    : throw new ValueDecodeError($"invalid {ConnectLogicalNames.ZonedTimestamp} \"{element.GetString()}\": {problem}");
            case ConnectLogicalNames.Uuid:
                return Guid.TryParse(JsonText.StringUtf8(element), out var guid)
                    ? guid
                    : throw new ValueDecodeError($"invalid {ConnectLogicalNames.Uuid} \"{element.GetString()}\"");
            case ConnectLogicalNames.Json when column && element.ValueEquals(ToastPlaceholder.HstoreJson):
                return Unavailable.Value;
            default:
                return element.GetString()!;
        }
    }

    private static object ReadArray(JsonElement element, ConnectSchema schema, bool column)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(element, schema, "an array");
        }

        var items = schema.Items ?? throw new ValueDecodeError("array schema without 'items'");
        if (column && ToastPlaceholder.IsArray(element, items))
        {
            return Unavailable.Value;
        }

        var result = new object?[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            try
            {
                result[i] = Read(item, items, column: false);
            }
            catch (ValueDecodeError error)
            {
                error.PushIndex(i);
                throw;
            }

            i++;
        }

        return result;
    }

    /// <summary>JsonConverter writes string-keyed maps as objects and all other maps as arrays of [key, value].</summary>
    private static object ReadMap(JsonElement element, ConnectSchema schema, bool column)
    {
        var keys = schema.Keys ?? throw new ValueDecodeError("map schema without 'keys'");
        var values = schema.Values ?? throw new ValueDecodeError("map schema without 'values'");
        if (column && ToastPlaceholder.IsMap(element))
        {
            return Unavailable.Value;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            if (keys.Type != ConnectType.String)
            {
                throw Mismatch(element, schema, "an array of [key, value] pairs (keys are not strings)");
            }

            var entries = new List<KeyValuePair<object?, object?>>();
            foreach (var property in element.EnumerateObject())
            {
                try
                {
                    entries.Add(new(property.Name, Read(property.Value, values, column: false)));
                }
                catch (ValueDecodeError error)
                {
                    error.PushField(property.Name);
                    throw;
                }
            }

            return entries.ToArray();
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(element, schema, "an object or an array of [key, value] pairs");
        }

        var pairs = new KeyValuePair<object?, object?>[element.GetArrayLength()];
        var i = 0;
        foreach (var pair in element.EnumerateArray())
        {
            try
            {
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                {
                    throw new ValueDecodeError($"expected a [key, value] pair, got {JsonText.Kind(pair)}");
                }

                pairs[i] = new(Read(pair[0], keys, column: false), Read(pair[1], values, column: false));
            }
            catch (ValueDecodeError error)
            {
                error.PushIndex(i);
                throw;
            }

            i++;
        }

        return pairs;
    }
}
