using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;

namespace Cdc.Schemas.Tests.Support;

internal static class FixtureSchemas
{
    /// <summary>The Connect schema of a JsonConverter message with <c>schemas.enable=true</c>; null for a null or schemaless message.</summary>
    public static ConnectSchema? Of(byte[]? message)
    {
        if (message is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(message);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("schema", out var schema) &&
               schema.ValueKind == JsonValueKind.Object
            ? ConnectSchemaJson.Parse(schema)
            : null;
    }
}
