using System.Globalization;

namespace Cdc.Schemas.Registry;

/// <summary>
/// The Schema Registry's configuration as Confluent's clients take it: <c>schema.registry.url</c> (several,
/// comma-separated, tried in turn), <c>schema.registry.basic.auth.user.info</c> (<c>user:password</c>),
/// <c>schema.registry.ssl.ca.location</c>, <c>schema.registry.ssl.keystore.location</c> and <c>.password</c> (a
/// PKCS#12 client certificate), <c>schema.registry.enable.ssl.certificate.verification</c>, and any other
/// <c>schema.registry.*</c> property of Confluent's <c>SchemaRegistryConfig</c>.
/// <para>
/// Retries are Cdc's (the Polly pipeline <c>cdc-schema-registry</c>), set by Confluent's own properties:
/// <c>schema.registry.max.retries</c> (default 3), <c>schema.registry.retries.wait.ms</c> (first delay, default 1000),
/// <c>schema.registry.retries.max.wait.ms</c> (default 20000) and <c>schema.registry.request.timeout.ms</c> (per
/// attempt, default 30000).
/// </para>
/// </summary>
public static class SchemaRegistrySettings
{
    public const string Url = "schema.registry.url";
    public const string BasicAuthUserInfo = "schema.registry.basic.auth.user.info";
    public const string MaxRetries = "schema.registry.max.retries";
    public const string RetriesWaitMs = "schema.registry.retries.wait.ms";
    public const string RetriesMaxWaitMs = "schema.registry.retries.max.wait.ms";
    public const string RequestTimeoutMs = "schema.registry.request.timeout.ms";

    /// <summary>The problem with <paramref name="config"/>, in one line that shows no credential; null when it is usable.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.TryGetValue(Url, out var urls) || string.IsNullOrWhiteSpace(urls))
        {
            return $"no Schema Registry: give {Url} (--schema-registry http://host:8081)";
        }

        foreach (var url in urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return $"{Url}: '{WithoutCredentials(url)}' is not an absolute http(s) URL";
            }

            if (uri.UserInfo.Length > 0)
            {
                return $"{Url}: credentials in the URL are neither used nor kept secret; give {BasicAuthUserInfo} (e.g. CDC_SchemaRegistry__{BasicAuthUserInfo}=user:password)";
            }
        }

        if (config.TryGetValue(BasicAuthUserInfo, out var userInfo) && !userInfo.Contains(':', StringComparison.Ordinal))
        {
            return $"{BasicAuthUserInfo} must be user:password";
        }

        foreach (var key in config.Keys.Where(k => !k.StartsWith("schema.registry.", StringComparison.Ordinal)))
        {
            return $"'{key}' is not a Schema Registry property (they start with schema.registry.)";
        }

        foreach (var (key, min) in new[] { (MaxRetries, 0), (RetriesWaitMs, 0), (RetriesMaxWaitMs, 0), (RequestTimeoutMs, 1) })
        {
            if (config.TryGetValue(key, out var text) && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min))
            {
                return $"{key} must be a whole number of at least {min}, not '{text}'";
            }
        }

        return null;
    }

    internal static int Number(IReadOnlyDictionary<string, string> config, string key, int fallback) =>
        config.TryGetValue(key, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

    // Anything between "//" and "@" (user:password) is left out of messages.
    private static string WithoutCredentials(string url) =>
        url.IndexOf("//", StringComparison.Ordinal) is var start and >= 0 && url.IndexOf('@', start) is var at and > 0
            ? string.Concat(url.AsSpan(0, start + 2), "***", url.AsSpan(at))
            : url;
}
