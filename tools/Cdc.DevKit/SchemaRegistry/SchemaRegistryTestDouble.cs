using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cdc.DevKit.SchemaRegistry;

/// <summary>
/// TEST DOUBLE of a Confluent Schema Registry: an in-process Kestrel server answering the three REST calls the
/// client makes as the documented API does (paths, <c>application/vnd.schemaregistry.v1+json</c>, error bodies
/// <c>{"error_code", "message"}</c> with 40401/40403/409/42201/50001), with a simple BACKWARD compatibility rule
/// (a field added to a record needs a default) and switches for faults: answer 5xx, require basic auth, or stop
/// listening altogether (connection refused). Not a registry: no compatibility levels, modes, contexts or deletes.
/// Used by the schema tests and by <c>cdc bench sink --format avro</c>, whose child sink reaches it over HTTP.
/// </summary>
public sealed class SchemaRegistryTestDouble : IAsyncDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";

    private readonly object _gate = new();
    private readonly List<string> _schemas = [];
    private readonly List<string> _canonical = [];
    private readonly Dictionary<string, List<int>> _subjects = [];
    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication? _app;
    private X509Certificate2? _certificate;
    private int _failuresLeft;
    private HttpStatusCode _failureStatus;

    private SchemaRegistryTestDouble()
    {
    }

    public string Url { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>"GET /schemas/ids/1 (content type)" for every request received, in order.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public int RequestCount => _requests.Count;

    /// <summary>When set, requests without this exact Basic credential get 401.</summary>
    public (string User, string Password)? RequiredCredentials { get; set; }

    /// <param name="port">0 for any free port.</param>
    /// <param name="certificate">Serve HTTPS with this certificate instead of HTTP.</param>
    public static async Task<SchemaRegistryTestDouble> StartAsync(int port = 0, X509Certificate2? certificate = null)
    {
        var registry = new SchemaRegistryTestDouble { _certificate = certificate };
        await registry.ListenAsync(port);
        return registry;
    }

    /// <summary>The next <paramref name="count"/> requests get <paramref name="status"/> with error_code 50001.</summary>
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
    public Task RestartAsync() => ListenAsync(Port);

    /// <summary>Registers directly (no HTTP), as if another producer had; returns the id.</summary>
    public int Register(string subject, string schema) => RegisterCore(subject, schema).Id;

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            if (_certificate is not null)
            {
                listen.UseHttps(_certificate);
            }
        }));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path} ({context.Request.ContentType})");
            if (RequiredCredentials is { } credentials && !Authorized(context.Request, credentials))
            {
                await Error(context, HttpStatusCode.Unauthorized, 40101, "Unauthorized");
                return;
            }

            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                await Error(context, _failureStatus, 50001, "Error in the backend data store");
                return;
            }

            await next(context);
        });
        app.MapGet("/schemas/ids/{id:int}", (Func<HttpContext, int, Task>)GetSchemaAsync);
        app.MapPost("/subjects/{subject}/versions", (Func<HttpContext, string, Task>)RegisterAsync);
        app.MapPost("/subjects/{subject}", (Func<HttpContext, string, Task>)LookupAsync);
        await app.StartAsync();
        _app = app;
        Port = new Uri(app.Urls.First()).Port;
        Url = $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}";
    }

    private Task GetSchemaAsync(HttpContext context, int id)
    {
        lock (_gate)
        {
            return id >= 1 && id <= _schemas.Count
                ? Json(context, HttpStatusCode.OK, new { schema = _schemas[id - 1] })
                : Error(context, HttpStatusCode.NotFound, 40403, "Schema not found");
        }
    }

    private async Task RegisterAsync(HttpContext context, string subject)
    {
        if (await ReadSchemaAsync(context) is not { } schema)
        {
            return;
        }

        var (id, conflict) = RegisterCore(subject, schema);
        await (conflict is not null
            ? Error(context, HttpStatusCode.Conflict, 409, conflict)
            : Json(context, HttpStatusCode.OK, new { id }));
    }

    private async Task LookupAsync(HttpContext context, string subject)
    {
        if (await ReadSchemaAsync(context) is not { } schema)
        {
            return;
        }

        var canonical = Canonical(schema);
        (int Id, int Version, string Schema)? found = null;
        bool subjectKnown;
        lock (_gate)
        {
            subjectKnown = _subjects.TryGetValue(subject, out var versions);
            var index = subjectKnown ? versions!.FindIndex(id => _canonical[id - 1] == canonical) : -1;
            if (index >= 0)
            {
                found = (versions![index], index + 1, _schemas[versions[index] - 1]);
            }
        }

        await (found is { } f
            ? Json(context, HttpStatusCode.OK, new { subject, id = f.Id, version = f.Version, schema = f.Schema })
            : subjectKnown
                ? Error(context, HttpStatusCode.NotFound, 40403, "Schema not found")
                : Error(context, HttpStatusCode.NotFound, 40401, $"Subject '{subject}' not found."));
    }

    private (int Id, string? Conflict) RegisterCore(string subject, string schema)
    {
        var canonical = Canonical(schema);
        lock (_gate)
        {
            var versions = _subjects.TryGetValue(subject, out var existing) ? existing : _subjects[subject] = [];
            var id = _canonical.IndexOf(canonical) + 1;
            if (id > 0 && versions.Contains(id))
            {
                return (id, null);
            }

            if (versions.Count > 0 && Incompatible(_schemas[versions[^1] - 1], schema) is { } problem)
            {
                return (0, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{problem}]");
            }

            if (id == 0)
            {
                _schemas.Add(schema);
                _canonical.Add(canonical);
                id = _schemas.Count;
            }

            versions.Add(id);
            return (id, null);
        }
    }

    private static async Task<string?> ReadSchemaAsync(HttpContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var schema = body.RootElement.GetProperty("schema").GetString()!;
            _ = Canonical(schema);
            return schema;
        }
        catch (Exception e)
        {
            await Error(context, HttpStatusCode.UnprocessableEntity, 42201, $"Invalid schema: {e.Message}");
            return null;
        }
    }

    // BACKWARD, for the top-level record and its record-typed fields: a reader of the new schema must be able to
    // read the old data, so every field the new version adds must have a default.
    private static string? Incompatible(string previous, string next)
    {
        var old = ParseLeniently(previous);
        var fresh = ParseLeniently(next);
        return old is global::Avro.RecordSchema oldRecord && fresh is global::Avro.RecordSchema newRecord ? Missing(oldRecord, newRecord) : null;
    }

    private static string? Missing(global::Avro.RecordSchema old, global::Avro.RecordSchema fresh)
    {
        foreach (var field in fresh.Fields)
        {
            if (!old.TryGetField(field.Name, out var before))
            {
                if (field.DefaultValue is null)
                {
                    return $"READER_FIELD_MISSING_DEFAULT_VALUE: {field.Name}";
                }

                continue;
            }

            if (Record(field.Schema) is { } inner && Record(before.Schema) is { } innerBefore && Missing(innerBefore, inner) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static global::Avro.RecordSchema? Record(global::Avro.Schema schema) => schema switch
    {
        global::Avro.RecordSchema record => record,
        global::Avro.UnionSchema union => union.Schemas.OfType<global::Avro.RecordSchema>().FirstOrDefault(),
        _ => null,
    };

    // Identity of a schema: its parsed form written back (whitespace does not matter). Parsed as leniently as the
    // real (Java) registry parses: an invalid logical type is ignored, not refused.
    private static string Canonical(string schema) => ParseLeniently(schema).ToString();

    // As Java Avro (the real registry) parses: a logical type it finds invalid is ignored (Debezium writes Decimal
    // schemas with scale above precision), where Apache.Avro for .NET would refuse the schema. So every logicalType
    // is renamed out of the way before parsing (the same trick as Cdc.Schemas' internal LenientAvroSchema).
    private static global::Avro.Schema ParseLeniently(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new global::Avro.SchemaParseException("empty schema");
        HideLogicalTypes(root);
        return global::Avro.Schema.Parse(root.ToJsonString());
    }

    private static void HideLogicalTypes(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue("logicalType", out var logical))
                {
                    obj.Remove("logicalType");
                    obj["cdc.logicalType"] = logical;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        HideLogicalTypes(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        HideLogicalTypes(child);
                    }
                }

                break;
            default:
                break;
        }
    }

    private static bool Authorized(HttpRequest request, (string User, string Password) credentials)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}"));
        return request.Headers.Authorization.ToString() == expected;
    }

    private static Task Json(HttpContext context, HttpStatusCode status, object body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static Task Error(HttpContext context, HttpStatusCode status, int errorCode, string message) =>
        Json(context, status, new Dictionary<string, object> { ["error_code"] = errorCode, ["message"] = message });
}
