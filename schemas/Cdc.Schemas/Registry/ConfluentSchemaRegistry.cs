using System.Net;
using System.Security.Authentication;
using Confluent.SchemaRegistry;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Cdc.Schemas.Registry;

/// <summary>
/// <see cref="ISchemaRegistry"/> on Confluent's <see cref="CachedSchemaRegistryClient"/>, configured as Confluent's
/// clients are (<see cref="SchemaRegistrySettings"/>). The client caches; a cached answer never goes back to the
/// registry, so decoding keeps working through a registry outage for every schema seen before it. Transient failures
/// (unreachable, timeout, 5xx, 429) are retried by the Polly pipeline <c>cdc-schema-registry</c> (retries, circuit and
/// timeouts reported by Polly's meter); anything else fails at once. Thread-safe; dispose once.
/// </summary>
public sealed class ConfluentSchemaRegistry : ISchemaRegistry, IDisposable
{
    /// <summary>The Polly pipeline's name (<c>pipeline_name</c> in the resilience metrics).</summary>
    public const string PipelineName = "cdc-schema-registry";

    private readonly CachedSchemaRegistryClient _client;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>A client of the registry at <paramref name="url"/> with Confluent's defaults otherwise.</summary>
    public ConfluentSchemaRegistry(string url)
        : this(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = url })
    {
    }

    /// <param name="config">Confluent's <c>schema.registry.*</c> properties.</param>
    /// <param name="time">The clock for retry delays; null for the system's.</param>
    /// <exception cref="ArgumentException"><paramref name="config"/> is not usable (<see cref="SchemaRegistrySettings.Problem"/>).</exception>
    public ConfluentSchemaRegistry(IReadOnlyDictionary<string, string> config, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (SchemaRegistrySettings.Problem(config) is { } problem)
        {
            throw new ArgumentException(problem, nameof(config));
        }

        // One attempt per call in Confluent's client: the retries are this pipeline's.
        var clientConfig = config
            .Where(p => p.Key is not (SchemaRegistrySettings.MaxRetries or SchemaRegistrySettings.RetriesWaitMs or SchemaRegistrySettings.RetriesMaxWaitMs))
            .Append(new(SchemaRegistrySettings.MaxRetries, "1"));
        _client = new CachedSchemaRegistryClient(clientConfig);
        Url = config[SchemaRegistrySettings.Url];
        var builder = new ResiliencePipelineBuilder { Name = PipelineName, InstanceName = Url, TimeProvider = time ?? TimeProvider.System }
            .ConfigureTelemetry(new TelemetryOptions());
        var retries = SchemaRegistrySettings.Number(config, SchemaRegistrySettings.MaxRetries, 3);
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SchemaRegistryUnavailableException>(),
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(SchemaRegistrySettings.Number(config, SchemaRegistrySettings.RetriesWaitMs, 1000)),
                MaxDelay = TimeSpan.FromMilliseconds(SchemaRegistrySettings.Number(config, SchemaRegistrySettings.RetriesMaxWaitMs, 20_000)),
            });
        }

        _pipeline = builder.AddTimeout(TimeSpan.FromMilliseconds(SchemaRegistrySettings.Number(config, SchemaRegistrySettings.RequestTimeoutMs, 30_000))).Build();
    }

    /// <summary>The configured URL(s), for messages.</summary>
    public string Url { get; }

    /// <inheritdoc />
    public Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken = default) =>
        CallAsync($"GET /schemas/ids/{id}", async () =>
        {
            var schema = await _client.GetSchemaAsync(id);
            return schema.SchemaType == SchemaType.Avro
                ? schema.SchemaString
                : throw new SchemaRegistryException($"schema {id} is a {schema.SchemaType} schema, not Avro", null, null);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        return CallAsync($"POST /subjects/{subject}/versions", () => _client.RegisterSchemaAsync(subject, new Schema(schema, SchemaType.Avro)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> GetSchemaIdAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        return CallAsync(
            $"POST /subjects/{subject}",
            async () => (await _client.LookupSchemaAsync(subject, new Schema(schema, SchemaType.Avro), ignoreDeletedSchemas: true)).Id,
            cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async ct =>
                {
                    try
                    {
                        // Confluent's calls take no token: a timed-out attempt is abandoned (its own request.timeout.ms ends it).
                        return await call().WaitAsync(ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        throw Classify(what, e);
                    }
                },
                cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new SchemaRegistryUnavailableException($"{what}: the Schema Registry at {Url} did not answer in time", null, null, e);
        }
    }

    private Exception Classify(string what, Exception e) => e switch
    {
        SchemaRegistryException => e,
        Confluent.SchemaRegistry.SchemaRegistryException { Status: var status } answered when (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout =>
            new SchemaRegistryUnavailableException($"{what}: HTTP {(int)status} error_code {answered.ErrorCode}: {answered.Message}", status, answered.ErrorCode, e),
        Confluent.SchemaRegistry.SchemaRegistryException answered =>
            new SchemaRegistryException($"{Explain(answered)}{what}: HTTP {(int)answered.Status} error_code {answered.ErrorCode}: {answered.Message}", answered.Status, answered.ErrorCode, e),
        _ when Chain(e).OfType<AuthenticationException>().FirstOrDefault() is { } tls =>
            // A certificate the client does not trust (or one the server refuses) will not fix itself: no retries.
            new SchemaRegistryException($"TLS handshake with the Schema Registry at {Url} failed (check schema.registry.ssl.ca.location and the client certificate): {tls.Message}", null, null, e),
        HttpRequestException { Message: "Unauthorized" } =>
            new SchemaRegistryException($"not authorized (check {SchemaRegistrySettings.BasicAuthUserInfo}); {what}: HTTP 401", HttpStatusCode.Unauthorized, null, e),
        HttpRequestException or IOException or OperationCanceledException =>
            new SchemaRegistryUnavailableException($"{what}: the Schema Registry at {Url} is unreachable: {e.Message}", null, null, e),
        _ => e,
    };

    private static string Explain(Confluent.SchemaRegistry.SchemaRegistryException e) => e.ErrorCode switch
    {
        SchemaRegistryErrorCodes.SubjectNotFound => "subject not found; ",
        SchemaRegistryErrorCodes.VersionNotFound => "version not found; ",
        SchemaRegistryErrorCodes.SchemaNotFound => "schema not found; ",
        SchemaRegistryErrorCodes.InvalidSchema => "invalid schema; ",
        _ when e.Status == HttpStatusCode.Conflict => "schema incompatible with an earlier version of the subject; ",
        _ when e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"not authorized (check {SchemaRegistrySettings.BasicAuthUserInfo}); ",
        _ => "",
    };

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
