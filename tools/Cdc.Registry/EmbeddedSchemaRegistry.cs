using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Cdc.Common.Http;
using Cdc.Registry.Internal;
using Cdc.Schemas.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cdc.Registry;

/// <summary>
/// A Schema Registry for one machine (<c>./cdc registry</c>, as <c>./cdc kafka</c> is for Kafka): the part of
/// Confluent Schema Registry's REST API that Confluent's clients and Debezium's AvroConverter use (see
/// <see cref="RegistryEndpoints"/>), with compatibility checks (BACKWARD by default, 409 when broken), kept in a file so
/// ids survive a restart. Not Confluent's registry: Avro only, no schema references, deletes, contexts or modes.
/// </summary>
public sealed class EmbeddedSchemaRegistry : IAsyncDisposable
{
    private readonly EmbeddedSchemaRegistryOptions _options;
    private readonly RegistryState _state;
    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication? _app;
    private int _failuresLeft;
    private HttpStatusCode _failureStatus;

    private EmbeddedSchemaRegistry(EmbeddedSchemaRegistryOptions options)
    {
        _options = options;
        _state = new RegistryState(options.File);
    }

    /// <summary><c>http://127.0.0.1:PORT</c> (or https).</summary>
    public string Url { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>"GET /schemas/ids/1" for every request received, in order (the newest 10,000).</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public int RequestCount => _requests.Count;

    /// <exception cref="InvalidDataException">The file exists but is not one this registry wrote.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<EmbeddedSchemaRegistry> StartAsync(EmbeddedSchemaRegistryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var registry = new EmbeddedSchemaRegistry(options ?? new EmbeddedSchemaRegistryOptions());
        await registry.ListenAsync(registry._options.Port, cancellationToken);
        return registry;
    }

    /// <summary>Registers as a producer would (no HTTP); returns the id.</summary>
    /// <exception cref="InvalidOperationException">Incompatible with the subject's earlier versions.</exception>
    public int Register(string subject, string schema)
    {
        var (id, conflict) = _state.Register(subject, schema);
        return conflict is null ? id : throw new InvalidOperationException(conflict);
    }

    /// <summary>Fault injection, as <c>./cdc kafka</c> takes brokers down: the next <paramref name="count"/> requests
    /// get <paramref name="status"/> with error_code 50001.</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.InternalServerError)
    {
        _failureStatus = status;
        Interlocked.Exchange(ref _failuresLeft, count);
    }

    /// <summary>Stops listening: clients get connection refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port, keeping every registered schema.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => ListenAsync(Port, cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var (app, bound) = await KestrelHost.StartAsync(IPAddress.Loopback, port, Configure, cancellationToken, _options.Certificate);
        _app = app;
        Port = bound;
        Url = $"{(_options.Certificate is null ? "http" : "https")}://127.0.0.1:{bound}";
    }

    private void Configure(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            while (_requests.Count > 10_000 && _requests.TryDequeue(out _))
            {
            }

            if (_options.Credentials is { } credentials && !Authorized(context.Request, credentials))
            {
                await RegistryEndpoints.Error(context, HttpStatusCode.Unauthorized, 40101, "Unauthorized");
                return;
            }

            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                await RegistryEndpoints.Error(context, _failureStatus, SchemaRegistryErrorCodes.StoreError, "Error in the backend data store");
                return;
            }

            await next(context);
        });
        app.UseRouting();
        RegistryEndpoints.Map(app, _state);
    }

    private static bool Authorized(HttpRequest request, (string User, string Password) credentials)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}"));
        return request.Headers.Authorization.ToString() == expected;
    }
}
