using System.Net;

namespace Cdc.Schemas.Registry;

/// <summary>
/// The registry could not be reached or kept failing transiently (connection refused, timeout, 5xx, 429) after
/// all retries. Retrying later may succeed.
/// </summary>
public sealed class SchemaRegistryUnavailableException : SchemaRegistryException
{
    public SchemaRegistryUnavailableException(string message, HttpStatusCode? statusCode, int? errorCode, Exception? inner = null)
        : base(message, statusCode, errorCode, inner)
    {
    }

    public SchemaRegistryUnavailableException()
    {
    }

    public SchemaRegistryUnavailableException(string message)
        : base(message)
    {
    }

    public SchemaRegistryUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
