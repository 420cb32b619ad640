using System.Text.Json;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// Finds JsonConverter's <c>{"schema": …, "payload": …}</c> envelope without building a DOM for the schema.
/// The rule: a top-level object whose properties are exactly <c>schema</c> (an object or null) and
/// <c>payload</c>, in either order, is an envelope; anything else is a bare payload. A Debezium payload
/// always has <c>op</c> and a key is a struct of column values, so a bare message matches only if its
/// only two columns are named <c>schema</c> and <c>payload</c> and the first holds a JSON object, which
/// PostgreSQL key columns never do.
/// </summary>
internal static class EnvelopeSplitter
{
    private static ReadOnlySpan<byte> SchemaPrefix => "{\"schema\":"u8;

    private static ReadOnlySpan<byte> PayloadSeparator => ",\"payload\":"u8;

    /// <summary>
    /// Fast path for JsonConverter's compact output: <c>{"schema":S,"payload":P}</c> where S is byte-for-byte a
    /// schema already parsed (so already valid). P is validated when it is parsed; anything else after S fails there.
    /// </summary>
    public static bool TryMatchKnownSchema(ReadOnlySpan<byte> json, ReadOnlySpan<byte> schema, out Range payload)
    {
        payload = default;
        var payloadStart = SchemaPrefix.Length + schema.Length + PayloadSeparator.Length;
        if (json.Length <= payloadStart || json[^1] != (byte)'}' || !json.StartsWith(SchemaPrefix) ||
            !json.Slice(SchemaPrefix.Length, schema.Length).SequenceEqual(schema) ||
            !json[(SchemaPrefix.Length + schema.Length)..].StartsWith(PayloadSeparator))
        {
            return false;
        }

        payload = new Range(payloadStart, json.Length - 1);
        return true;
    }

    /// <exception cref="JsonException">Invalid JSON.</exception>
    public static bool TrySplit(ReadOnlySpan<byte> json, out Range schema, out Range payload)
    {
        schema = default;
        payload = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool hasSchema = false, hasPayload = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSchema = reader.ValueTextEquals("schema"u8);
            if ((!isSchema && !reader.ValueTextEquals("payload"u8)) || (isSchema ? hasSchema : hasPayload))
            {
                return false;
            }

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (isSchema && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
            {
                return false;
            }

            reader.Skip();
            var range = new Range(start, (int)reader.BytesConsumed);
            if (isSchema)
            {
                (schema, hasSchema) = (range, true);
            }
            else
            {
                (payload, hasPayload) = (range, true);
            }
        }

        if (reader.Read())
        {
            throw new JsonException("trailing content after the top-level object");
        }

        return hasSchema && hasPayload;
    }
}
