using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cdc.Schemas.Registry.Internal;

namespace Cdc.Schemas.Registry;

/// <summary>
/// A Schema Registry REST client (content type <c>application/vnd.schemaregistry.v1+json</c>) with caches:
/// id → schema, and (subject, schema) → id. Cached answers never go back to the registry, so decoding keeps
/// working through a registry outage for every schema seen before it. Thread-safe; dispose once.
/// </summary>
public sealed class SchemaRegistryClient : ISchemaRegistryClient, IDisposable
{
    private readonly RegistryTransport _transport;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<int, string> _schemasById = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _idsBySubject = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), RegisteredSchema> _lookups = new();

    public SchemaRegistryClient(SchemaRegistryOptions options)
        : this(options, handler: null, TimeProvider.System)
    {
    }

    /// <param name="options">Where and how to reach the registry.</param>
    /// <param name="handler">An HTTP handler to use instead of one built from <paramref name="options"/>' TLS settings.</param>
    /// <param name="time">The clock for retry delays.</param>
    public SchemaRegistryClient(SchemaRegistryOptions options, HttpMessageHandler? handler, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _transport = new RegistryTransport(options, handler, time);
        _capacity = Math.Max(1, options.CacheCapacity);
    }

    /// <summary>Schemas cached by id (for tests and metrics).</summary>
    public int CachedSchemaCount => _schemasById.Count;

    /// <inheritdoc />
    public async Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_schemasById.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var answer = await _transport.SendAsync(HttpMethod.Get, SchemaPath(id), null, cancellationToken);
        return Remember(id, SchemaText(answer, id));
    }

    /// <inheritdoc />
    public string GetSchema(int id, CancellationToken cancellationToken = default)
    {
        if (_schemasById.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var answer = _transport.Send(HttpMethod.Get, SchemaPath(id), null, cancellationToken);
        return Remember(id, SchemaText(answer, id));
    }

    /// <inheritdoc />
    public async Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        if (_idsBySubject.TryGetValue((subject, schema), out var cached))
        {
            return cached;
        }

        var answer = await _transport.SendAsync(HttpMethod.Post, SubjectPath(subject) + "/versions", Body(schema), cancellationToken);
        var id = Int(answer, "id", $"registering under {subject}");
        Bound(_idsBySubject)[(subject, schema)] = id;
        Remember(id, schema);
        return id;
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> LookupSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        if (_lookups.TryGetValue((subject, schema), out var cached))
        {
            return cached;
        }

        var answer = await _transport.SendAsync(HttpMethod.Post, SubjectPath(subject), Body(schema), cancellationToken);
        var what = $"looking up a schema under {subject}";
        var registered = new RegisteredSchema(
            answer.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : subject,
            Int(answer, "id", what),
            Int(answer, "version", what),
            answer.TryGetProperty("schema", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : schema);
        Bound(_lookups)[(subject, schema)] = registered;
        Bound(_idsBySubject)[(subject, schema)] = registered.Id;
        Remember(registered.Id, registered.Schema);
        return registered;
    }

    public void Dispose() => _transport.Dispose();

    private string Remember(int id, string schema)
    {
        Bound(_schemasById)[id] = schema;
        return schema;
    }

    // A full cache is cleared rather than evicted piecemeal: schema counts are small; this only bounds a runaway.
    private ConcurrentDictionary<TKey, TValue> Bound<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache)
        where TKey : notnull
    {
        if (cache.Count >= _capacity)
        {
            cache.Clear();
        }

        return cache;
    }

    private static string SchemaPath(int id) => "schemas/ids/" + id.ToString(CultureInfo.InvariantCulture);

    private static string SubjectPath(string subject) => "subjects/" + Uri.EscapeDataString(subject);

    // AVRO is the default schemaType: Confluent's serializers omit it, and so does this client.
    private static string Body(string schema) => JsonSerializer.Serialize(new Dictionary<string, string> { ["schema"] = schema });

    private static string SchemaText(JsonElement answer, int id)
    {
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("schemaType", out var type) &&
            type.ValueKind == JsonValueKind.String && type.GetString() is { } kind && kind != "AVRO")
        {
            throw new SchemaRegistryException($"schema {id} is a {kind} schema, not Avro", null, null);
        }

        return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.String
            ? schema.GetString()!
            : throw new SchemaRegistryException($"GET /schemas/ids/{id}: the answer has no \"schema\" string", null, null);
    }

    private static int Int(JsonElement answer, string property, string what) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty(property, out var value) && value.TryGetInt32(out var number)
            ? number
            : throw new SchemaRegistryException($"{what}: the answer has no integer \"{property}\"", null, null);
}
