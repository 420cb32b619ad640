using System.Security.Cryptography.X509Certificates;

namespace Cdc.Registry;

/// <summary>Where and how <see cref="EmbeddedSchemaRegistry"/> serves.</summary>
public sealed record EmbeddedSchemaRegistryOptions
{
    /// <summary>0 for any free port.</summary>
    public int Port { get; init; }

    /// <summary>The file that keeps subjects, schemas and compatibility settings across restarts; null keeps them in memory.</summary>
    public string? File { get; init; }

    /// <summary>Serve HTTPS with this certificate instead of HTTP.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>When set, requests without this Basic credential get 401 (error_code 40101), as a registry with basic auth answers.</summary>
    public (string User, string Password)? Credentials { get; init; }
}
