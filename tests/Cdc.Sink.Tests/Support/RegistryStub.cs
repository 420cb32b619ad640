using System.Net;
using System.Text;
using System.Text.Json;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Support;

/// <summary>
/// TEST DOUBLE of a Schema Registry for the sink's end-to-end tests (System.Net.HttpListener, so this project
/// needs no ASP.NET): <c>GET /schemas/ids/{id}</c> and <c>POST /subjects/{subject}/versions</c> as the REST API
/// answers them, schemas identified by their exact text. The full double, with lookups, compatibility and
/// faults, is Cdc.Schemas.Tests' SchemaRegistryTestDouble. <see cref="Stop"/> makes the port refuse connections.
/// </summary>
internal sealed class RegistryStub : IDisposable
{
    private readonly object _gate = new();
    private readonly List<string> _schemas = [];
    private HttpListener? _listener;

    public RegistryStub()
    {
        Port = FreeTcpPort.Next();
        Start();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public int Requests { get; private set; }

    public void Start()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        _listener = listener;
        _ = Task.Run(() => ServeAsync(listener));
    }

    public void Stop()
    {
        _listener?.Close();
        _listener = null;
    }

    public void Dispose() => Stop();

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Requests++;
                await AnswerAsync(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.HttpMethod == "GET" && path is ["schemas", "ids", var idText] && int.TryParse(idText, out var id))
        {
            string? schema;
            lock (_gate)
            {
                schema = id >= 1 && id <= _schemas.Count ? _schemas[id - 1] : null;
            }

            await (schema is null ? WriteAsync(context, 404, new { error_code = 40403, message = "Schema not found" }) : WriteAsync(context, 200, new { schema }));
            return;
        }

        if (context.Request.HttpMethod == "POST" && path is ["subjects", _, "versions"])
        {
            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            var schema = body.RootElement.GetProperty("schema").GetString()!;
            int registered;
            lock (_gate)
            {
                registered = _schemas.IndexOf(schema) + 1;
                if (registered == 0)
                {
                    _schemas.Add(schema);
                    registered = _schemas.Count;
                }
            }

            await WriteAsync(context, 200, new { id = registered });
            return;
        }

        await WriteAsync(context, 404, new { error_code = 404, message = "HTTP 404 Not Found" });
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/vnd.schemaregistry.v1+json";
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}
