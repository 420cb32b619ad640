using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cdc.Schemas.Avro.Internal;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Model.Internal;
using Cdc.Schemas.Registry;
using BinaryEncoder = global::Avro.IO.BinaryEncoder;

namespace Cdc.Schemas.Avro;

/// <summary>
/// Writes Debezium records as AvroConverter does: the Connect schema becomes an Avro schema
/// (<see cref="AvroConnectSchemas.ToAvroJson"/>), registered under <c>&lt;topic&gt;-key</c> / <c>&lt;topic&gt;-value</c>
/// (TopicNameStrategy), and the datum is framed in Confluent's wire format with the returned id. Schema ids are
/// cached per schema instance and subject, so only a new schema costs a registry call. Thread-safe.
/// <para>
/// Why not Confluent's <c>AvroSerializer</c>: it takes Apache.Avro's <c>GenericRecord</c>, whose schema parser refuses
/// schemas Debezium writes (a Decimal whose scale exceeds its precision), and it would need each change copied into one.
/// The tests read this encoder's output with Confluent's <c>AvroDeserializer</c>.
/// </para>
/// </summary>
public sealed class DebeziumAvroEncoder
{
    private readonly ISchemaRegistry _registry;
    private readonly DebeziumAvroEncoderOptions _options;
    private readonly ConditionalWeakTable<ConnectSchema, string> _avroJson = new();
    private readonly ConditionalWeakTable<ConnectSchema, ConcurrentDictionary<string, int>> _ids = new();

    public DebeziumAvroEncoder(ISchemaRegistry registry)
        : this(registry, new DebeziumAvroEncoderOptions())
    {
    }

    public DebeziumAvroEncoder(ISchemaRegistry registry, DebeziumAvroEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _options = options;
    }

    /// <summary>Key and value bytes for a record: a null key stays null; a tombstone (null event) has a null value.</summary>
    /// <param name="topic">The topic, which names the subjects.</param>
    /// <param name="keySchema">The key struct's schema (<see cref="DebeziumConnectSchemas.Key"/>); null when the record has no key.</param>
    /// <param name="envelopeSchema">The value's envelope schema (<see cref="DebeziumConnectSchemas.Envelope"/>).</param>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels a registry call.</param>
    /// <exception cref="SchemaRegistryException">The registry refused the schema (409 incompatible, 422 invalid...).</exception>
    /// <exception cref="ArgumentException">A value does not fit its schema.</exception>
    public async Task<(byte[]? Key, byte[]? Value)> EncodeAsync(
        string topic, ConnectSchema? keySchema, ConnectSchema envelopeSchema, ChangeRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[]? key = null;
        if (record.Key is not null)
        {
            key = await SerializeAsync(topic, isKey: true, keySchema ?? throw new ArgumentException("a record with a key needs a key schema", nameof(keySchema)), record.Key, cancellationToken);
        }

        byte[]? value = null;
        if (record.Event is not null)
        {
            value = await SerializeAsync(topic, isKey: false, envelopeSchema, EnvelopeRow.ToRow(record.Event, envelopeSchema), cancellationToken);
        }

        return (key, value);
    }

    /// <summary>One struct (a key, or an envelope row) framed with its schema's id.</summary>
    public async Task<byte[]> SerializeAsync(string topic, bool isKey, ConnectSchema schema, RowImage row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(row);
        var id = await SchemaIdAsync(TopicNameStrategy.Subject(topic, isKey), schema, cancellationToken);
        return Serialize(id, schema, row);
    }

    /// <summary>The framed bytes for a known schema id (no registry call).</summary>
    public static byte[] Serialize(int schemaId, ConnectSchema schema, RowImage row)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var buffer = new MemoryStream();
        buffer.Write(stackalloc byte[ConfluentWireFormat.HeaderLength]);
        var encoder = new BinaryEncoder(buffer);
        AvroValueWriter.WriteStruct(encoder, schema with { Optional = false }, row, schema.Name ?? "value");
        encoder.Flush();
        var bytes = buffer.ToArray();
        ConfluentWireFormat.WriteHeader(bytes, schemaId);
        return bytes;
    }

    /// <summary>The Avro schema text registered for <paramref name="schema"/> (computed once per schema instance).</summary>
    public string AvroSchemaOf(ConnectSchema schema) =>
        _avroJson.GetValue(schema, static s => AvroConnectSchemas.ToAvroJson(s with { Optional = false }));

    private async ValueTask<int> SchemaIdAsync(string subject, ConnectSchema schema, CancellationToken cancellationToken)
    {
        var ids = _ids.GetValue(schema, static _ => new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        if (ids.TryGetValue(subject, out var cached))
        {
            return cached;
        }

        var avro = AvroSchemaOf(schema);
        var id = _options.AutoRegisterSchemas
            ? await _registry.RegisterSchemaAsync(subject, avro, cancellationToken)
            : await _registry.GetSchemaIdAsync(subject, avro, cancellationToken);
        ids[subject] = id;
        return id;
    }
}
