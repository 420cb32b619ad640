using System.Buffers;
using System.Text.Json;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// A Connect schema as JsonConverter's <c>asJsonSchema</c> writes it: <c>type</c>, then <c>fields</c> / <c>items</c> /
/// <c>keys</c>+<c>values</c>, <c>optional</c>, <c>name</c>, <c>version</c>, <c>parameters</c>, <c>default</c>, and
/// <c>field</c> for a struct member. (<c>doc</c> would follow <c>version</c>; the model does not carry it.)
/// </summary>
internal static class JsonSchemaWriter
{
    public static byte[] Write(ConnectSchema schema, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            WriteSchema(writer, schema, field: null);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSchema(Utf8JsonWriter writer, ConnectSchema schema, string? field)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, TypeName(schema.Type));
        switch (schema.Type)
        {
            case ConnectType.Struct:
                writer.WriteStartArray("fields"u8);
                foreach (var member in schema.Fields)
                {
                    WriteSchema(writer, member.Schema, member.Name);
                }

                writer.WriteEndArray();
                break;
            case ConnectType.Array:
                writer.WritePropertyName("items"u8);
                WriteSchema(writer, Child(schema.Items, "items"), field: null);
                break;
            case ConnectType.Map:
                writer.WritePropertyName("keys"u8);
                WriteSchema(writer, Child(schema.Keys, "keys"), field: null);
                writer.WritePropertyName("values"u8);
                WriteSchema(writer, Child(schema.Values, "values"), field: null);
                break;
            default:
                break;
        }

        writer.WriteBoolean("optional"u8, schema.Optional);
        if (schema.Name is not null)
        {
            writer.WriteString("name"u8, schema.Name);
        }

        if (schema.Version is { } version)
        {
            writer.WriteNumber("version"u8, version);
        }

        if (schema.Parameters.Count > 0)
        {
            writer.WriteStartObject("parameters"u8);
            foreach (var (key, value) in schema.Parameters)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        if (schema.DefaultValue is { } defaultValue)
        {
            writer.WritePropertyName("default"u8);
            JsonValueWriter.Write(writer, schema, defaultValue, "default");
        }

        if (field is not null)
        {
            writer.WriteString("field"u8, field);
        }

        writer.WriteEndObject();
    }

    private static ConnectSchema Child(ConnectSchema? child, string name) =>
        child ?? throw new ArgumentException($"schema without '{name}'");

    private static string TypeName(ConnectType type) => type switch
    {
        ConnectType.Boolean => "boolean",
        ConnectType.Int8 => "int8",
        ConnectType.Int16 => "int16",
        ConnectType.Int32 => "int32",
        ConnectType.Int64 => "int64",
        ConnectType.Float32 => "float",
        ConnectType.Float64 => "double",
        ConnectType.Bytes => "bytes",
        ConnectType.String => "string",
        ConnectType.Array => "array",
        ConnectType.Map => "map",
        _ => "struct",
    };
}
