using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cdc.Schemas.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdc.Registry.Internal;

/// <summary>
/// The subset of Confluent Schema Registry's REST API that Confluent's clients (.NET and Java, so Debezium's
/// AvroConverter) call: subjects and their versions, schemas by id, lookup, compatibility checks and configuration,
/// <c>/mode</c>, and 404 for <c>/associations/...</c> (Confluent.SchemaRegistry 2.16 asks it first and falls back to
/// TopicNameStrategy on 404). Avro only. Bodies and errors as the real registry writes them:
/// <c>application/vnd.schemaregistry.v1+json</c>, <c>{"error_code", "message"}</c>.
/// </summary>
internal static class RegistryEndpoints
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    public static void Map(IEndpointRouteBuilder app, RegistryState state)
    {
        app.MapGet("/", context => Json(context, HttpStatusCode.OK, new JsonObject()));
        app.MapGet("/subjects", context => Json(context, HttpStatusCode.OK, new JsonArray([.. state.Subjects().Select(s => (JsonNode)s)])));
        app.MapGet("/subjects/{subject}/versions", (HttpContext context, string subject) => state.Versions(subject) is { } versions
            ? Json(context, HttpStatusCode.OK, new JsonArray([.. versions.Select(v => (JsonNode)v)]))
            : SubjectNotFound(context, subject));
        app.MapGet("/subjects/{subject}/versions/{version}", (HttpContext context, string subject, string version) => VersionAsync(context, state, subject, version, raw: false));
        app.MapGet("/subjects/{subject}/versions/{version}/schema", (HttpContext context, string subject, string version) => VersionAsync(context, state, subject, version, raw: true));
        app.MapPost("/subjects/{subject}/versions", (HttpContext context, string subject) => RegisterAsync(context, state, subject));
        app.MapPost("/subjects/{subject}", (HttpContext context, string subject) => LookupAsync(context, state, subject));
        app.MapGet("/schemas/ids/{id:int}", (HttpContext context, int id) => state.ById(id) is { } schema
            ? Json(context, HttpStatusCode.OK, new JsonObject { ["schema"] = schema.Schema })
            : Error(context, HttpStatusCode.NotFound, SchemaRegistryErrorCodes.SchemaNotFound, "Schema not found"));
        app.MapGet("/schemas/ids/{id:int}/schema", (HttpContext context, int id) => state.ById(id) is { } schema
            ? Raw(context, schema.Schema)
            : Error(context, HttpStatusCode.NotFound, SchemaRegistryErrorCodes.SchemaNotFound, "Schema not found"));
        app.MapGet("/schemas/ids/{id:int}/versions", (HttpContext context, int id) => state.ById(id) is null
            ? Error(context, HttpStatusCode.NotFound, SchemaRegistryErrorCodes.SchemaNotFound, "Schema not found")
            : Json(context, HttpStatusCode.OK, new JsonArray([.. state.Uses(id).Select(u => (JsonNode)new JsonObject { ["subject"] = u.Subject, ["version"] = u.Version })])));
        app.MapGet("/schemas/types", context => Json(context, HttpStatusCode.OK, new JsonArray("AVRO")));
        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", (HttpContext context, string subject, string version) => CompatibleAsync(context, state, subject, version));
        app.MapGet("/config", context => Json(context, HttpStatusCode.OK, new JsonObject { ["compatibilityLevel"] = state.GlobalLevel }));
        app.MapPut("/config", context => SetLevelAsync(context, state, subject: null));
        app.MapGet("/config/{subject}", (HttpContext context, string subject) => state.SubjectLevel(subject) is { } level
            ? Json(context, HttpStatusCode.OK, new JsonObject { ["compatibilityLevel"] = level })
            : context.Request.Query["defaultToGlobal"] == "true"
                ? Json(context, HttpStatusCode.OK, new JsonObject { ["compatibilityLevel"] = state.GlobalLevel })
                : Error(context, HttpStatusCode.NotFound, 40408, $"Subject '{subject}' does not have subject-level compatibility configured"));
        app.MapPut("/config/{subject}", (HttpContext context, string subject) => SetLevelAsync(context, state, subject));
        app.MapDelete("/config/{subject}", (HttpContext context, string subject) =>
        {
            var level = state.SubjectLevel(subject);
            state.SetLevel(subject, null);
            return level is null
                ? Error(context, HttpStatusCode.NotFound, 40408, $"Subject '{subject}' does not have subject-level compatibility configured")
                : Json(context, HttpStatusCode.OK, new JsonObject { ["compatibilityLevel"] = level });
        });
        app.MapGet("/mode", context => Json(context, HttpStatusCode.OK, new JsonObject { ["mode"] = "READWRITE" }));
        app.Map("/associations/{**rest}", context => Error(context, HttpStatusCode.NotFound, 404, "HTTP 404 Not Found: associations are not kept by this registry"));
        app.MapFallback(context => Error(context, HttpStatusCode.NotFound, 404, "HTTP 404 Not Found"));
    }

    public static Task Error(HttpContext context, HttpStatusCode status, int errorCode, string message) =>
        Json(context, status, new JsonObject { ["error_code"] = errorCode, ["message"] = message });

    private static Task VersionAsync(HttpContext context, RegistryState state, string subject, string version, bool raw)
    {
        if (ParseVersion(version) is not { } number)
        {
            return Error(context, HttpStatusCode.UnprocessableEntity, SchemaRegistryErrorCodes.InvalidVersion, $"The specified version '{version}' is not a valid version id");
        }

        var (schema, found, errorCode) = state.Version(subject, number);
        return schema is null
            ? errorCode == SchemaRegistryErrorCodes.SubjectNotFound ? SubjectNotFound(context, subject)
                : Error(context, HttpStatusCode.NotFound, SchemaRegistryErrorCodes.VersionNotFound, $"Version {version} not found.")
            : raw ? Raw(context, schema.Schema)
            : Json(context, HttpStatusCode.OK, new JsonObject { ["subject"] = subject, ["version"] = found, ["id"] = schema.Id, ["schema"] = schema.Schema });
    }

    private static async Task RegisterAsync(HttpContext context, RegistryState state, string subject)
    {
        if (await ReadSchemaAsync(context) is not { } schema)
        {
            return;
        }

        try
        {
            var (id, conflict) = state.Register(subject, schema);
            await (conflict is not null
                ? Error(context, HttpStatusCode.Conflict, SchemaRegistryErrorCodes.IncompatibleSchema, conflict)
                : Json(context, HttpStatusCode.OK, new JsonObject { ["id"] = id }));
        }
        catch (Exception e) when (e is global::Avro.AvroException or JsonException)
        {
            await InvalidSchema(context, e);
        }
    }

    private static async Task LookupAsync(HttpContext context, RegistryState state, string subject)
    {
        if (await ReadSchemaAsync(context) is not { } schema)
        {
            return;
        }

        try
        {
            var (found, version, errorCode) = state.Lookup(subject, schema);
            await (found is not null
                ? Json(context, HttpStatusCode.OK, new JsonObject { ["subject"] = subject, ["id"] = found.Id, ["version"] = version, ["schema"] = found.Schema })
                : errorCode == SchemaRegistryErrorCodes.SubjectNotFound ? SubjectNotFound(context, subject)
                : Error(context, HttpStatusCode.NotFound, SchemaRegistryErrorCodes.SchemaNotFound, "Schema not found"));
        }
        catch (Exception e) when (e is global::Avro.AvroException or JsonException)
        {
            await InvalidSchema(context, e);
        }
    }

    private static async Task CompatibleAsync(HttpContext context, RegistryState state, string subject, string version)
    {
        if (ParseVersion(version) is not { } number)
        {
            await Error(context, HttpStatusCode.UnprocessableEntity, SchemaRegistryErrorCodes.InvalidVersion, $"The specified version '{version}' is not a valid version id");
            return;
        }

        if (await ReadSchemaAsync(context) is not { } schema)
        {
            return;
        }

        try
        {
            var problem = state.CompatibilityProblem(subject, schema, number);
            var answer = new JsonObject { ["is_compatible"] = problem is null };
            if (problem is not null)
            {
                answer["messages"] = new JsonArray(problem);
            }

            await Json(context, HttpStatusCode.OK, answer);
        }
        catch (Exception e) when (e is global::Avro.AvroException or JsonException)
        {
            await InvalidSchema(context, e);
        }
    }

    private static async Task SetLevelAsync(HttpContext context, RegistryState state, string? subject)
    {
        string? level = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            level = body.RootElement.TryGetProperty("compatibility", out var value) ? value.GetString() : null;
        }
        catch (JsonException)
        {
            // Answered below as an invalid level.
        }

        level = level?.ToUpperInvariant();
        if (level is null || !Compatibility.Levels.Contains(level))
        {
            await Error(context, HttpStatusCode.UnprocessableEntity, SchemaRegistryErrorCodes.InvalidCompatibilityLevel, $"Invalid compatibility level. Valid values are {string.Join(", ", Compatibility.Levels)}");
            return;
        }

        state.SetLevel(subject, level);
        await Json(context, HttpStatusCode.OK, new JsonObject { ["compatibility"] = level });
    }

    /// <returns>The schema text, or null after answering 422 (not JSON, not Avro).</returns>
    private static async Task<string?> ReadSchemaAsync(HttpContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = body.RootElement;
            var type = root.TryGetProperty("schemaType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "AVRO";
            if (type != "AVRO")
            {
                await Error(context, HttpStatusCode.UnprocessableEntity, SchemaRegistryErrorCodes.InvalidSchema, $"Invalid schema: this registry keeps AVRO schemas only, not {type}");
                return null;
            }

            if (root.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array && references.GetArrayLength() > 0)
            {
                await Error(context, HttpStatusCode.UnprocessableEntity, SchemaRegistryErrorCodes.InvalidSchema, "Invalid schema: schema references are not supported by this registry");
                return null;
            }

            return root.GetProperty("schema").GetString() ?? throw new KeyNotFoundException("schema");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await InvalidSchema(context, e);
            return null;
        }
    }

    private static Task InvalidSchema(HttpContext context, Exception e) =>
        Error(context, HttpStatusCode.UnprocessableEntity, SchemaRegistryErrorCodes.InvalidSchema, $"Invalid schema: {e.Message}");

    private static Task SubjectNotFound(HttpContext context, string subject) =>
        Error(context, HttpStatusCode.NotFound, SchemaRegistryErrorCodes.SubjectNotFound, $"Subject '{subject}' not found.");

    private static int? ParseVersion(string version) =>
        version == "latest" || version == "-1" ? -1
        : int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number
        : null;

    private static Task Json(HttpContext context, HttpStatusCode status, JsonNode body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static Task Raw(HttpContext context, string schema)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(schema, context.RequestAborted);
    }
}
