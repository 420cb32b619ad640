using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect.Internal;

internal static partial class JsonValueReader
{
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
}
