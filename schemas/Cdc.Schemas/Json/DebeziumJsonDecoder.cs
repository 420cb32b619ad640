using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Json.Internal;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Json;

/// <summary>
/// Decodes Debezium PostgreSQL records written by Kafka's JsonConverter, with or without schemas. Key and value
/// are looked at independently, per record: a JSON object whose only properties are <c>schema</c> (an object or
/// null) and <c>payload</c> is JsonConverter's envelope (<c>schemas.enable=true</c>); anything else is a bare
/// payload. A bare Debezium value always has <c>op</c>; a bare key would be misread only if its only two columns
/// were named <c>schema</c> and <c>payload</c> and the first held a JSON object, which key columns never do.
/// Parsed schemas are cached by their exact bytes. Without a schema, row values stay raw
/// <see cref="JsonElement"/>s (null <see cref="Column.Schema"/>) until <see cref="RowImage.WithSchema"/>; JSON null
/// becomes null and the TOAST placeholder text <see cref="Unavailable.Value"/> straight away. Thread-safe.
/// </summary>
public sealed class DebeziumJsonDecoder : IChangeEventDecoder
{
    // Keys and values alternate on every record: separate caches keep each one's last-schema fast path hot.
    private readonly SchemaCache _keySchemas;
    private readonly SchemaCache _valueSchemas;

    public DebeziumJsonDecoder()
        : this(new DebeziumJsonDecoderOptions())
    {
    }

    public DebeziumJsonDecoder(DebeziumJsonDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keySchemas = new SchemaCache(options.SchemaCacheCapacity);
        _valueSchemas = new SchemaCache(options.SchemaCacheCapacity);
    }

    /// <summary>Distinct schemas currently cached (for tests and metrics).</summary>
    public int CachedSchemaCount => _keySchemas.Count + _valueSchemas.Count;

    /// <inheritdoc />
    /// <inheritdoc />
    /// <remarks>JSON carries its schemas: nothing to fetch.</remarks>
    public ValueTask PrepareAsync(IEnumerable<byte[]?> payloads, CancellationToken cancellationToken = default) => default;

    public ChangeRecord Decode(string topic, byte[]? key, byte[]? value)
    {
        RowImage? keyRow = null;
        if (key is { Length: > 0 })
        {
            try
            {
                keyRow = DecodeKey(Utf8Only(key));
            }
            catch (Exception error) when (IsDecodeFailure(error))
            {
                throw Wrap(topic, "key", error);
            }
        }

        if (value is null)
        {
            return new ChangeRecord(keyRow, null);
        }

        try
        {
            return new ChangeRecord(keyRow, DecodeValue(Utf8Only(value)));
        }
        catch (Exception error) when (IsDecodeFailure(error))
        {
            throw Wrap(topic, "value", error);
        }
    }

    // System.Text.Json checks UTF-8 only when a string is read, and raw values of schemaless rows are read later,
    // outside the decoder (the sink's planner): reject bad bytes here, as poison, not later as a crash.
    private static byte[] Utf8Only(byte[] bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes) ? bytes : throw new ValueDecodeError("not valid UTF-8");

    // Whatever malformed input makes System.Text.Json or the converters throw; never let it escape as such.
    private static bool IsDecodeFailure(Exception error) =>
        error is ValueDecodeError or EventDecodeException or JsonException or InvalidOperationException
            or FormatException or OverflowException or ArgumentException;

    private static EventDecodeException Wrap(string topic, string part, Exception error) =>
        error switch
        {
            ValueDecodeError decode => new EventDecodeException($"{topic}: {part}: {decode.Describe(null)}", error),
            JsonException => new EventDecodeException($"{topic}: {part} is not valid JSON: {error.Message}", error),
            _ => new EventDecodeException($"{topic}: {part}: {error.Message}", error),
        };

    public RowImage DecodeStruct(string topic, byte[] value)
    {
        try
        {
            return DecodeStruct(Utf8Only(value), _valueSchemas) ?? throw new ValueDecodeError("the value is null, not a struct");
        }
        catch (Exception error) when (IsDecodeFailure(error))
        {
            throw Wrap(topic, "value", error);
        }
    }

    private RowImage? DecodeKey(byte[] bytes) => DecodeStruct(bytes, _keySchemas);

    private static RowImage? DecodeStruct(byte[] bytes, SchemaCache schemas)
    {
        var (schema, payload) = Split(bytes, schemas);
        if (schema is null)
        {
            var raw = ParseUnpooled(payload.Span);
            return raw.ValueKind == JsonValueKind.Null ? null : SchemalessRows.Read(raw);
        }

        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return schema.Type == ConnectType.Struct
            ? JsonValueReader.ReadStruct(root, schema)
            : throw new ValueDecodeError($"the schema is {JsonValueReader.Describe(schema)}, not a struct");
    }

    private ChangeEvent? DecodeValue(byte[] bytes)
    {
        var (schema, payload) = Split(bytes, _valueSchemas);
        if (schema is null)
        {
            return EnvelopeReader.Read(ParseUnpooled(payload.Span), null, pooled: false);
        }

        using var document = JsonDocument.Parse(payload);
        return EnvelopeReader.Read(document.RootElement, schema, pooled: true);
    }

    private static (ConnectSchema? Schema, ReadOnlyMemory<byte> Payload) Split(byte[] bytes, SchemaCache schemas)
    {
        if (schemas.Last is var (lastBytes, lastSchema) && EnvelopeSplitter.TryMatchKnownSchema(bytes, lastBytes, out var knownPayload))
        {
            return (lastSchema, bytes.AsMemory(knownPayload));
        }

        if (!EnvelopeSplitter.TrySplit(bytes, out var schemaRange, out var payloadRange))
        {
            return (null, bytes);
        }

        var schemaJson = bytes.AsSpan(schemaRange);
        var schema = schemaJson.SequenceEqual("null"u8) ? null : schemas.GetOrParse(schemaJson);
        return (schema, bytes.AsMemory(payloadRange));
    }

    // Raw values of schemaless rows outlive the call: parse into a document that needs no disposal.
    private static JsonElement ParseUnpooled(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var element = JsonElement.ParseValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException("trailing content after the JSON value");
        }

        return element;
    }
}
