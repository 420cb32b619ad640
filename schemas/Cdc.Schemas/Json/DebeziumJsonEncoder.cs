using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json.Internal;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Json;

/// <summary>
/// Writes Debezium records as Kafka's JsonConverter does (<c>decimal.format=BASE64</c>): with
/// <see cref="DebeziumJsonEncoderOptions.SchemasEnable"/>, <c>{"schema":…,"payload":…}</c> where the schema is
/// JsonConverter's rendering of the Connect schema (type, fields/items/keys/values, optional, name, version,
/// parameters, default, field) and the payload follows that schema's field order; otherwise the payload alone.
/// Values are encoded as JsonConverter encodes their Connect form: Decimal as base64 of the big-endian
/// two's-complement unscaled value, VariableScaleDecimal as <c>{"scale","value"}</c>, Date as int days, Time/
/// Timestamp/MicroTimestamp/MicroTime/MicroDuration as epoch numbers, ZonedTimestamp as ISO-8601 UTC text, bytes
/// as base64, non-finite floats as <c>"NaN"</c>/<c>"Infinity"</c>/<c>"-Infinity"</c>, string-keyed maps as objects
/// and other maps as <c>[[k,v],…]</c>, <see cref="Unavailable"/> as Debezium's placeholder form, raw
/// <see cref="JsonElement"/>s (schemaless decodes) as themselves. The schema JSON is computed once per
/// <see cref="ConnectSchema"/> instance; each thread reuses one buffer. Thread-safe.
/// </summary>
public sealed class DebeziumJsonEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Kafka payloads, not HTML: keep non-ASCII text as UTF-8 as Jackson does.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _perThread;

    private readonly DebeziumJsonEncoderOptions _options;
    private readonly ConditionalWeakTable<ConnectSchema, byte[]> _schemaJson = new();

    public DebeziumJsonEncoder()
        : this(new DebeziumJsonEncoderOptions())
    {
    }

    public DebeziumJsonEncoder(DebeziumJsonEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Key and value bytes for a record: a null key stays null; a tombstone (null event) has a null value.</summary>
    /// <param name="keySchema">The key struct's schema (<see cref="Avro.DebeziumConnectSchemas.Key"/>); null when the record has no key.</param>
    /// <param name="envelopeSchema">The value's envelope schema (<see cref="Avro.DebeziumConnectSchemas.Envelope"/>, or a MessageValue schema).</param>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentException">A value does not fit its schema, or a keyed record has no key schema.</exception>
    public (byte[]? Key, byte[]? Value) Encode(ConnectSchema? keySchema, ConnectSchema envelopeSchema, ChangeRecord record)
    {
        ArgumentNullException.ThrowIfNull(envelopeSchema);
        ArgumentNullException.ThrowIfNull(record);
        var key = record.Key is null
            ? null
            : EncodeStruct(keySchema ?? throw new ArgumentException("a record with a key needs a key schema", nameof(keySchema)), record.Key);
        var value = record.Event is null ? null : Encode(envelopeSchema, record.Event, static (writer, schema, change) => JsonValueWriter.WriteEnvelope(writer, schema, change));
        return (key, value);
    }

    /// <summary>One struct (a key, or an envelope row) as a JsonConverter message.</summary>
    /// <exception cref="ArgumentException">A value does not fit its schema.</exception>
    public byte[] EncodeStruct(ConnectSchema schema, RowImage row)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(row);
        return Encode(schema, row, static (writer, schema, row) => JsonValueWriter.WriteStruct(writer, schema, row, schema.Name ?? "value"));
    }

    private byte[] Encode<T>(ConnectSchema schema, T payload, Action<Utf8JsonWriter, ConnectSchema, T> writePayload)
    {
        var (buffer, writer) = _perThread ??= NewWriter();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            if (_options.SchemasEnable)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("schema"u8);
                writer.WriteRawValue(SchemaJsonOf(schema), skipInputValidation: true);
                writer.WritePropertyName("payload"u8);
                writePayload(writer, schema, payload);
                writer.WriteEndObject();
            }
            else
            {
                writePayload(writer, schema, payload);
            }

            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        catch
        {
            // A half-written document must not leak into the next message.
            _perThread = null;
            throw;
        }
    }

    /// <summary>JsonConverter's schema JSON for <paramref name="schema"/> (computed once per schema instance).</summary>
    public byte[] SchemaJsonOf(ConnectSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return _schemaJson.GetValue(schema, static s => JsonSchemaWriter.Write(s, WriterOptions));
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }
}
