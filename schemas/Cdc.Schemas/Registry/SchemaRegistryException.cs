using System.Net;

namespace Cdc.Schemas.Registry;

/// <summary>
/// The registry answered with an error that retrying will not fix (404 not found, 409 incompatible, 422 invalid,
/// 401/403). <see cref="ErrorCode"/> is the body's <c>error_code</c> (see <see cref="SchemaRegistryErrorCodes"/>).
/// </summary>
public class SchemaRegistryException : Exception
{
    public SchemaRegistryException(string message, HttpStatusCode? statusCode, int? errorCode, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    public SchemaRegistryException()
    {
    }

    public SchemaRegistryException(string message)
        : base(message)
    {
    }

    public SchemaRegistryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status, or null when the registry never answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    public int? ErrorCode { get; }

    /// <summary>True for 404 with 40401 (subject) or 40403 (schema), the two "does not exist" answers.</summary>
    public bool IsNotFound => ErrorCode is SchemaRegistryErrorCodes.SubjectNotFound or SchemaRegistryErrorCodes.SchemaNotFound
        || (ErrorCode is null && StatusCode == HttpStatusCode.NotFound);
}
