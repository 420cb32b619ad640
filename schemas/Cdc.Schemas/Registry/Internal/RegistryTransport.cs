using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cdc.Schemas.Registry.Internal;

/// <summary>
/// One registry request with retries: transient failures (connection refused, timeout, 5xx, 429) are retried
/// with exponential backoff and jitter, trying the next URL each time; anything else fails at once.
/// Synchronous and asynchronous entry points share one loop.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    private readonly HttpClient _http;
    private readonly Uri[] _baseUris;
    private readonly SchemaRegistryOptions _options;
    private readonly TimeProvider _time;

    public RegistryTransport(SchemaRegistryOptions options, HttpMessageHandler? handler, TimeProvider time)
    {
        _options = options;
        _time = time;
        _baseUris = ParseUrls(options.Url);
        _http = new HttpClient(handler ?? RegistryHttpHandler.Create(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.schemaregistry.v1+json");
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.schemaregistry+json; q=0.9");
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json; q=0.5");
        if (options.Username is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
    }

    public static Uri[] ParseUrls(string urls)
    {
        var parsed = urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u.EndsWith('/') ? u : u + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri.UserInfo.Length == 0
                    ? uri
                    // Every message names the URL: credentials in it would be shown (and HttpClient does not send them).
                    : throw new ArgumentException("Schema Registry URL with credentials: give Username and Password instead")
                : throw new ArgumentException("a Schema Registry URL is not an absolute http(s) URL"))
            .ToArray();
        return parsed.Length > 0 ? parsed : throw new ArgumentException("no Schema Registry URL given");
    }

    public Task<JsonElement> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken) =>
        SendCoreAsync(async: true, method, path, body, cancellationToken);

    /// <summary>The same request, blocking: <see cref="IChangeEventDecoder.Decode"/> is synchronous.</summary>
    public JsonElement Send(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        var pending = SendCoreAsync(async: false, method, path, body, cancellationToken);
        // With async: false the core never awaits, so the task has already completed here.
#pragma warning disable VSTHRD002
        return pending.GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
    }

    /// <summary>One retry loop for both entry points (Npgsql's <c>bool async</c> pattern), so they cannot drift apart.</summary>
    private async Task<JsonElement> SendCoreAsync(bool async, HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var baseUri = _baseUris[attempt % _baseUris.Length];
            using var timeout = LinkedTimeout(cancellationToken);
            Exception? failure;
            try
            {
                using var request = Request(method, baseUri, path, body);
#pragma warning disable VSTHRD103 // the synchronous branch is the point of async: false
                using var response = async
                    ? await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token)
                    : _http.Send(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                var text = async ? await response.Content.ReadAsStringAsync(timeout.Token) : ReadAll(response, timeout.Token);
#pragma warning restore VSTHRD103
                failure = Evaluate(request, response, text, out var result);
                if (failure is null)
                {
                    return result;
                }
            }
            catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
            {
                failure = TlsFailure(baseUri, e);
            }
            catch (Exception e) when (IsTransport(e, cancellationToken))
            {
                failure = Unreachable(baseUri, e);
            }

            if (failure is not SchemaRegistryUnavailableException || attempt >= _options.MaxRetries)
            {
                throw Final(failure, attempt);
            }

            if (async)
            {
                await Task.Delay(Backoff(attempt), _time, cancellationToken);
            }
            else
            {
                cancellationToken.WaitHandle.WaitOne(Backoff(attempt));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static string ReadAll(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(response.Content.ReadAsStream(cancellationToken), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public void Dispose() => _http.Dispose();

    private CancellationTokenSource LinkedTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(_options.RequestTimeout);
        return source;
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri baseUri, string path, string? body)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        }

        return request;
    }

    /// <returns>Null on success (with <paramref name="result"/> set), else the error to throw or retry.</returns>
    private static Exception? Evaluate(HttpRequestMessage request, HttpResponseMessage response, string text, out JsonElement result)
    {
        result = default;
        var status = response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                result = document.RootElement.Clone();
                return null;
            }
            catch (JsonException e)
            {
                return new SchemaRegistryException($"{Describe(request)}: the registry answered {(int)status} with a body that is not JSON: {e.Message}", status, null, e);
            }
        }

        var (errorCode, message) = ParseError(text);
        var what = $"{Describe(request)}: HTTP {(int)status}{(errorCode is { } code ? $" error_code {code}" : "")}: {message ?? response.ReasonPhrase}";
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout)
        {
            return new SchemaRegistryUnavailableException(what, status, errorCode);
        }

        return new SchemaRegistryException(Explain(errorCode, status) + what, status, errorCode);
    }

    private static string Explain(int? errorCode, HttpStatusCode status) => errorCode switch
    {
        SchemaRegistryErrorCodes.SubjectNotFound => "subject not found; ",
        SchemaRegistryErrorCodes.VersionNotFound => "version not found; ",
        SchemaRegistryErrorCodes.SchemaNotFound => "schema not found; ",
        SchemaRegistryErrorCodes.InvalidSchema => "invalid schema; ",
        SchemaRegistryErrorCodes.InvalidVersion => "invalid version; ",
        _ when status == HttpStatusCode.Conflict => "schema incompatible with an earlier version of the subject; ",
        _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "not authorized (check the registry's user and password); ",
        _ => "",
    };

    // Error bodies are {"error_code": 40403, "message": "Schema not found"}.
    private static (int? ErrorCode, string? Message) ParseError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            int? code = root.TryGetProperty("error_code", out var c) && c.TryGetInt32(out var n) ? n : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, text.Length > 200 ? text[..200] : text);
        }
    }

    private static bool IsTransport(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static SchemaRegistryUnavailableException Unreachable(Uri baseUri, Exception e) =>
        e is OperationCanceledException
            ? new SchemaRegistryUnavailableException($"Schema Registry at {baseUri} did not answer in time", null, null, e)
            : new SchemaRegistryUnavailableException($"Schema Registry at {baseUri} is unreachable: {e.Message}", null, null, e);

    // A certificate the client does not trust (or one the server refuses) will not fix itself: no retries.
    private static SchemaRegistryException TlsFailure(Uri baseUri, HttpRequestException e) =>
        new($"TLS handshake with the Schema Registry at {baseUri} failed (check SslCaLocation and the client certificate): {e.InnerException!.Message}", null, null, e);

    private static Exception Final(Exception failure, int attempt) =>
        failure is SchemaRegistryUnavailableException unavailable && attempt > 0
            ? new SchemaRegistryUnavailableException($"{unavailable.Message} (after {attempt + 1} attempts)", unavailable.StatusCode, unavailable.ErrorCode, unavailable.InnerException)
            : failure;

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(_options.MaxRetryDelay.TotalMilliseconds, exponential) * jitter);
    }

    private static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri}";
}
