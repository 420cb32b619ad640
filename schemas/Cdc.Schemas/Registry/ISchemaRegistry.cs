namespace Cdc.Schemas.Registry;

/// <summary>
/// The Schema Registry calls Cdc makes, behind which Confluent's client works (<see cref="ConfluentSchemaRegistry"/>).
/// Answers are cached: an id's schema never changes, nor does the id of a schema registered under a subject.
/// </summary>
public interface ISchemaRegistry
{
    /// <summary><c>GET /schemas/ids/{id}</c>: the Avro schema text with this id.</summary>
    /// <exception cref="SchemaRegistryException">Not found (40403), not an Avro schema, or another permanent error.</exception>
    /// <exception cref="SchemaRegistryUnavailableException">The registry is unreachable or failing.</exception>
    Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /subjects/{subject}/versions</c>: registers (or finds) the Avro schema, returns its id.</summary>
    /// <exception cref="SchemaRegistryException">409 incompatible, 422 invalid (42201), or another permanent error.</exception>
    /// <exception cref="SchemaRegistryUnavailableException">The registry is unreachable or failing.</exception>
    Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary><c>POST /subjects/{subject}</c>: the id of an Avro schema already registered under the subject.</summary>
    /// <exception cref="SchemaRegistryException">40401 subject not found, 40403 schema not found, or another permanent error.</exception>
    /// <exception cref="SchemaRegistryUnavailableException">The registry is unreachable or failing.</exception>
    Task<int> GetSchemaIdAsync(string subject, string schema, CancellationToken cancellationToken = default);
}
