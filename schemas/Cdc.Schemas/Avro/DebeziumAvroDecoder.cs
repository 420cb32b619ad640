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
/// Only a schema id not yet cached costs a registry call (blocking: <see cref="IChangeEventDecoder"/> is
/// synchronous). If the registry cannot answer it, <see cref="TransientDecodeException"/> is thrown (retry, never
/// dead-letter); an id the registry does not know, or bytes that do not decode, give <see cref="EventDecodeException"/>.
/// </para>
/// Thread-safe.
/// </summary>
public sealed class DebeziumAvroDecoder : IChangeEventDecoder
{
    private readonly ISchemaRegistryClient _registry;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<int, AvroNode> _nodes = new();

    public DebeziumAvroDecoder(ISchemaRegistryClient registry)
        : this(registry, new DebeziumAvroDecoderOptions())
    {
    }

    public DebeziumAvroDecoder(ISchemaRegistryClient registry, DebeziumAvroDecoderOptions options)
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

    private AvroNode Node(string topic, string part, int schemaId)
    {
        if (_nodes.TryGetValue(schemaId, out var cached))
        {
            return cached;
        }

        string text;
        try
        {
            text = _registry.GetSchema(schemaId);
        }
        catch (SchemaRegistryException error) when (error.IsNotFound)
        {
            throw new EventDecodeException($"{topic}: {part}: schema id {schemaId} is not in the Schema Registry: {error.Message}", error);
        }
        catch (SchemaRegistryException error)
        {
            // Unreachable, failing, or refusing us (401/403): not the record's fault. Retry; never dead-letter.
            throw new TransientDecodeException($"{topic}: {part}: schema id {schemaId} could not be fetched: {error.Message}", error);
        }

        AvroNode node;
        try
        {
            node = AvroNodeBuilder.Build(LenientAvroSchema.Parse(text));
        }
        catch (ValueDecodeError error)
        {
            throw new EventDecodeException($"{topic}: {part}: schema {schemaId}: {error.Describe(null)}", error);
        }
        catch (Exception error) when (error is global::Avro.AvroException or Newtonsoft.Json.JsonException or System.Text.Json.JsonException)
        {
            throw new EventDecodeException($"{topic}: {part}: schema {schemaId} is not a valid Avro schema: {error.Message}", error);
        }

        if (_nodes.Count >= _capacity)
        {
            _nodes.Clear();
        }

        _nodes[schemaId] = node;
        return node;
    }
}
