namespace Cdc.Schemas.Registry;

/// <summary>How to reach a Confluent-compatible Schema Registry.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>Base URL, e.g. <c>http://schema-registry:8081</c>. Several, comma-separated, are tried in turn.</summary>
    public string Url { get; set; } = "";

    /// <summary>Basic auth user (Confluent's <c>basic.auth.user.info</c> user part); none when null.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>PEM or DER file of the CA that signed the registry's certificate, when not in the system store.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>Client certificate (PKCS#12, or PEM with <see cref="SslKeyLocation"/>) for mutual TLS.</summary>
    public string? SslCertificateLocation { get; set; }

    /// <summary>PEM private key of <see cref="SslCertificateLocation"/>.</summary>
    public string? SslKeyLocation { get; set; }

    /// <summary>Password of a PKCS#12 client certificate.</summary>
    public string? SslCertificatePassword { get; set; }

    /// <summary>False accepts any server certificate (tests only). Default true.</summary>
    public bool EnableSslCertificateVerification { get; set; } = true;

    /// <summary>Limit for one HTTP request. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a transient failure (5xx, 429, timeout, connection refused) after the first try. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay, doubled each retry, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay. Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most schemas kept per cache (ids, subjects). Default 10,000.</summary>
    public int CacheCapacity { get; set; } = 10_000;
}
