namespace Cdc.Schemas.Registry;

/// <summary>
/// The part of the Schema Registry REST API a serializer and deserializer need. Implementations cache: an id's
/// schema never changes, nor does the id of a schema already registered under a subject.
/// </summary>
public interface ISchemaRegistryClient
{
    /// <summary><c>GET /schemas/ids/{id}</c>: the schema text with this id.</summary>
    /// <exception cref="SchemaRegistryException">Not found (40403), or another permanent error.</exception>
    /// <exception cref="SchemaRegistryUnavailableException">The registry is unreachable or failing.</exception>
    Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="GetSchemaAsync"/>, blocking: for synchronous decoders (<see cref="IChangeEventDecoder"/>).</summary>
    string GetSchema(int id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /subjects/{subject}/versions</c>: registers (or finds) the schema, returns its id.</summary>
    /// <exception cref="SchemaRegistryException">409 incompatible, 422 invalid (42201), or another permanent error.</exception>
    /// <exception cref="SchemaRegistryUnavailableException">The registry is unreachable or failing.</exception>
    Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary><c>POST /subjects/{subject}</c>: the id of a schema already registered under the subject.</summary>
    /// <exception cref="SchemaRegistryException">40401 subject not found, 40403 schema not found, or another permanent error.</exception>
    /// <exception cref="SchemaRegistryUnavailableException">The registry is unreachable or failing.</exception>
    Task<RegisteredSchema> LookupSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default);
}
