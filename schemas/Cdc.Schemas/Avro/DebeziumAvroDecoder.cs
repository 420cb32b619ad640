using System.Buffers.Binary;
using System.Collections.Concurrent;
using Cdc.Schemas.Avro.Internal;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;
using Cdc.Schemas.Registry;
using AvroType = global::Avro.Schema.Type;

namespace Cdc.Schemas.Avro;

/// <summary>
/// Decodes Debezium PostgreSQL records written by Confluent's AvroConverter: Confluent wire format (magic byte,
/// schema id, Avro binary) for key and value, writer schemas fetched from the Schema Registry by id and cached,
/// logical types recovered from <c>connect.name</c>/<c>connect.parameters</c>. The result is the same
/// <see cref="ChangeRecord"/> the JSON path gives for the same change.
/// <para>
/// Why not Confluent's <c>AvroDeserializer</c>: it decodes into Apache.Avro's <c>GenericRecord</c> at 7.7-27 us a
/// record (this decoder reads into <see cref="ChangeRecord"/> at 1-4 us), and Apache.Avro refuses schemas Debezium
/// writes, such as a Decimal whose scale exceeds its precision (PostgreSQL's <c>numeric(2,5)</c>). The tests hold this
/// decoder against Confluent's serdes wherever those can read the schema.
/// </para>
/// <para>
/// Schema ids are resolved per batch by <see cref="PrepareAsync"/> (one registry call per id not cached yet);
/// <see cref="Decode"/> never calls the registry. If the registry cannot answer, <see cref="TransientDecodeException"/>
/// is thrown (retry, never dead-letter); an id the registry does not know, or bytes that do not decode, give
/// <see cref="EventDecodeException"/> (poison).
/// </para>
/// Thread-safe.
/// </summary>
public sealed class DebeziumAvroDecoder : IChangeEventDecoder
{
    private readonly ISchemaRegistry _registry;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<int, AvroNode> _nodes = new();

    // Ids the registry answered for with an error that makes the record poison (not found, not a valid schema), by
    // the message to dead-letter it with. Asked again in every batch that holds them (a batch, not a record, pays).
    private readonly ConcurrentDictionary<int, EventDecodeException> _refused = new();

    public DebeziumAvroDecoder(ISchemaRegistry registry)
        : this(registry, new DebeziumAvroDecoderOptions())
    {
    }

    public DebeziumAvroDecoder(ISchemaRegistry registry, DebeziumAvroDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _capacity = Math.Max(1, options.SchemaCacheCapacity);
    }

    /// <summary>Writer schemas compiled and cached (for tests and metrics).</summary>
    public int CachedSchemaCount => _nodes.Count;

    /// <inheritdoc />
    /// <exception cref="TransientDecodeException">A schema id is not cached and the registry cannot be reached.</exception>
    public async ValueTask PrepareAsync(IEnumerable<byte[]?> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        HashSet<int>? missing = null;
        int? checkedLast = null, checkedBefore = null;
        foreach (var payload in payloads)
        {
            if (payload is { Length: >= ConfluentWireFormat.HeaderLength } && payload[0] == ConfluentWireFormat.MagicByte)
            {
                // Keys and values alternate, each topic with one schema for each: the common case costs two compares.
                var id = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(1));
                if (id == checkedLast || id == checkedBefore)
                {
                    continue;
                }

                if (!_nodes.ContainsKey(id))
                {
                    (missing ??= []).Add(id);
                }

                (checkedBefore, checkedLast) = (checkedLast, id);
            }
        }

        foreach (var id in missing ?? [])
        {
            await ResolveAsync(id, cancellationToken);
        }
    }

    /// <inheritdoc />
    /// <exception cref="TransientDecodeException">A schema id was not prepared by <see cref="PrepareAsync"/>.</exception>
    public ChangeRecord Decode(string topic, byte[]? key, byte[]? value)
    {
        RowImage? keyRow = null;
        if (key is { Length: > 0 })
        {
            keyRow = Decode(topic, "key", key, static (node, decoder) =>
                node.Kind is AvroType.Record or AvroType.Error
                    ? AvroValueReader.ReadStruct(decoder, node)
                    : throw new ValueDecodeError($"the key schema is {node.Kind}, not a record"));
        }

        if (value is null)
        {
            return new ChangeRecord(keyRow, null);
        }

        var envelope = Decode(topic, "value", value, static (node, decoder) =>
            node.Kind is AvroType.Record or AvroType.Error
                ? AvroEnvelopeMapper.ToEvent(AvroValueReader.ReadStruct(decoder, node))
                : throw new ValueDecodeError($"the value schema is {node.Kind}, not an Envelope record"));
        return new ChangeRecord(keyRow, envelope);
    }

    /// <inheritdoc />
    public RowImage DecodeStruct(string topic, byte[] value) =>
        Decode(topic, "value", value, static (node, decoder) =>
            node.Kind is AvroType.Record or AvroType.Error
                ? AvroValueReader.ReadStruct(decoder, node)
                : throw new ValueDecodeError($"the value schema is {node.Kind}, not a record"));

    private T Decode<T>(string topic, string part, byte[] bytes, Func<AvroNode, AvroBinaryReader, T> read)
    {
        int schemaId;
        ReadOnlyMemory<byte> body;
        try
        {
            (schemaId, body) = ConfluentWireFormat.Read(bytes);
        }
        catch (EventDecodeException error)
        {
            throw new EventDecodeException($"{topic}: {part}: {error.Message}", error);
        }

        var node = Node(topic, part, schemaId);
        var reader = new AvroBinaryReader(bytes, ConfluentWireFormat.HeaderLength, body.Length);
        try
        {
            var result = read(node, reader);
            return reader.Remaining == 0
                ? result
                : throw new ValueDecodeError($"{reader.Remaining} byte(s) left after the Avro datum of schema {schemaId}");
        }
        catch (ValueDecodeError error)
        {
            throw new EventDecodeException($"{topic}: {part}: {error.Describe(null)}", error);
        }
        catch (Exception error) when (error is OverflowException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new EventDecodeException($"{topic}: {part}: not valid Avro for schema {schemaId}: {error.Message}", error);
        }
    }

    private AvroNode Node(string topic, string part, int schemaId) =>
        _nodes.TryGetValue(schemaId, out var node) ? node
        : _refused.TryGetValue(schemaId, out var refused) ? throw new EventDecodeException($"{topic}: {part}: {refused.Message}", refused)
        : throw new TransientDecodeException($"{topic}: {part}: schema id {schemaId} was not fetched from the Schema Registry before decoding");

    private async Task ResolveAsync(int schemaId, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await _registry.GetSchemaAsync(schemaId, cancellationToken);
        }
        catch (SchemaRegistryException error) when (error.IsNotFound)
        {
            if (_refused.Count >= _capacity)
            {
                _refused.Clear();
            }

            _refused[schemaId] = new EventDecodeException($"schema id {schemaId} is not in the Schema Registry: {error.Message}", error);
            return;
        }
        catch (SchemaRegistryException error)
        {
            // Unreachable, failing, or refusing us (401/403): not the record's fault. Retry; never dead-letter.
            throw new TransientDecodeException($"schema id {schemaId} could not be fetched: {error.Message}", error);
        }

        AvroNode node;
        try
        {
            node = AvroNodeBuilder.Build(LenientAvroSchema.Parse(text));
        }
        catch (ValueDecodeError error)
        {
            _refused[schemaId] = new EventDecodeException($"schema {schemaId}: {error.Describe(null)}", error);
            return;
        }
        catch (Exception error) when (error is global::Avro.AvroException or Newtonsoft.Json.JsonException or System.Text.Json.JsonException)
        {
            _refused[schemaId] = new EventDecodeException($"schema {schemaId} is not a valid Avro schema: {error.Message}", error);
            return;
        }

        if (_nodes.Count >= _capacity)
        {
            _nodes.Clear();
        }

        _nodes[schemaId] = node;
        _refused.TryRemove(schemaId, out _);
    }
}
