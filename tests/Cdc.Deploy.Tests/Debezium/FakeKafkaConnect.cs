using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cdc.Deploy.Tests.Debezium;

/// <summary>
/// TEST DOUBLE of Kafka Connect's REST API, as much as register.sh uses: <c>GET /</c>,
/// <c>PUT /connectors/{name}/config</c> (201 created, 200 updated; 400 with Connect's error body when
/// <c>connector.class</c> is missing) and <c>GET /connectors/{name}/status</c>, which reports no task on the first
/// poll (a task still starting) and then every task in <see cref="TaskState"/>.
/// </summary>
internal sealed class FakeKafkaConnect : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, JsonObject> _configs = new();
    private readonly ConcurrentDictionary<string, int> _polls = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    /// <summary>RUNNING, or FAILED with <see cref="FailureTrace"/>.</summary>
    public string TaskState { get; set; } = "RUNNING";

    public string FailureTrace { get; set; } = "";

    public IReadOnlyDictionary<string, JsonObject> Configs => _configs;

    /// <summary>"PUT /connectors/shop/config", in order.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<FakeKafkaConnect> StartAsync()
    {
        var connect = new FakeKafkaConnect();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            connect._requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await next(context);
        });
        app.MapGet("/", () => Results.Json(new { version = "3.9.1", commit = "fake", kafka_cluster_id = "fake" }));
        app.MapPut("/connectors/{name}/config", (Func<HttpContext, string, Task<IResult>>)connect.PutConfigAsync);
        app.MapGet("/connectors/{name}/status", (Func<string, IResult>)connect.Status);
        await app.StartAsync();
        connect._app = app;
        connect.Url = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return connect;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new { error_code = status, message }, statusCode: status);

    private async Task<IResult> PutConfigAsync(HttpContext context, string name)
    {
        JsonObject? config;
        try
        {
            config = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
        }
        catch (JsonException e)
        {
            return Error(500, $"Unrecognized token: {e.Message}");
        }

        if (config?["connector.class"] is null)
        {
            return Error(400, "Connector config {} contains no connector type");
        }

        var created = _configs.TryAdd(name, config);
        _configs[name] = config;
        var body = new { name, config, tasks = Array.Empty<object>(), type = "source" };
        return created ? Results.Json(body, statusCode: 201) : Results.Json(body);
    }

    private IResult Status(string name)
    {
        if (!_configs.ContainsKey(name))
        {
            return Error(404, $"No status found for connector {name}");
        }

        var worker = "connect:8083";
        var tasks = _polls.AddOrUpdate(name, 1, (_, n) => n + 1) == 1
            ? []
            : new object[] { TaskState == "FAILED" ? new { id = 0, state = "FAILED", worker_id = worker, trace = FailureTrace } : new { id = 0, state = TaskState, worker_id = worker } };
        return Results.Json(new { name, connector = new { state = "RUNNING", worker_id = worker }, tasks, type = "source" });
    }
}
