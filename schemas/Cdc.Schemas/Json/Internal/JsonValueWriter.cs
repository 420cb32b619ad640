using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;
using Cdc.Schemas.Model.Internal;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// Writes .NET values (<see cref="ConnectValue"/>'s table) as JsonConverter's <c>convertToJson</c> writes their Connect
/// form; the inverse of <see cref="JsonValueReader"/>. Wire forms come from <see cref="WireValue"/>, shared with Avro.
/// </summary>
internal static class JsonValueWriter
{
    public static void Write(Utf8JsonWriter writer, ConnectSchema schema, object? value, string path)
    {
        switch (value)
        {
            case null:
                WriteNull(writer, schema, path);
                return;
            case JsonElement raw:
                raw.WriteTo(writer);
                return;
            case Unavailable:
                value = WireValue.Placeholder(schema, path);
                break;
            default:
                break;
        }

        switch (schema.Type)
        {
            case ConnectType.Boolean:
                writer.WriteBooleanValue(WireValue.As<bool>(value, path));
                break;
            case ConnectType.Int8 or ConnectType.Int16 or ConnectType.Int32:
                writer.WriteNumberValue(WireValue.Int32(value));
                break;
            case ConnectType.Int64:
                writer.WriteNumberValue(WireValue.Int64(schema, value));
                break;
            case ConnectType.Float32:
                WriteFloat(writer, WireValue.As<float>(value, path));
                break;
            case ConnectType.Float64:
                WriteFloat(writer, WireValue.As<double>(value, path));
                break;
            case ConnectType.Bytes:
                writer.WriteBase64StringValue(WireValue.Bytes(schema, value, path));
                break;
            case ConnectType.String:
                writer.WriteStringValue(WireValue.Text(value));
                break;
            case ConnectType.Array:
                WriteArray(writer, schema, WireValue.As<IReadOnlyList<object?>>(value, path), path);
                break;
            case ConnectType.Map:
                WriteMap(writer, schema, WireValue.As<IEnumerable<KeyValuePair<object?, object?>>>(value, path), path);
                break;
            case ConnectType.Struct when schema.Name == ConnectLogicalNames.VariableScaleDecimal:
                var number = WireValue.As<ExactDecimal>(value, path);
                writer.WriteStartObject();
                writer.WriteNumber("scale"u8, number.Scale);
                writer.WriteBase64String("value"u8, number.Unscaled.ToByteArray(isUnsigned: false, isBigEndian: true));
                writer.WriteEndObject();
                break;
            case ConnectType.Struct:
                WriteStruct(writer, schema, WireValue.As<RowImage>(value, path), path);
                break;
            default:
                throw new ArgumentException($"{path}: unsupported schema type {schema.Type}");
        }
    }

    /// <summary>The row's values in the schema's field order (columns matched by name; a missing column is null).</summary>
    public static void WriteStruct(Utf8JsonWriter writer, ConnectSchema schema, RowImage row, string path)
    {
        writer.WriteStartObject();
        var fields = schema.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            object? value;
            if (i < row.Count && row[i].Name == field.Name)
            {
                value = row[i].Value;
            }
            else
            {
                value = row.TryGet(field.Name, out var column) ? column.Value : null;
            }

            writer.WritePropertyName(field.Name);
            Write(writer, field.Schema, value, field.Name);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The envelope struct of <paramref name="change"/> as <see cref="WriteStruct"/> writes <see cref="EnvelopeRow.ToRow"/>'s
    /// row, the same bytes without building the row first.
    /// </summary>
    public static void WriteEnvelope(Utf8JsonWriter writer, ConnectSchema envelope, ChangeEvent change)
    {
        writer.WriteStartObject();
        var fields = envelope.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            writer.WritePropertyName(field.Name);
            if (field.Name == "source")
            {
                WriteSource(writer, field.Schema, change.Source);
            }
            else
            {
                Write(writer, field.Schema, EnvelopeRow.Value(change, field.Name), field.Name);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteSource(Utf8JsonWriter writer, ConnectSchema schema, SourceInfo source)
    {
        if (schema.Type != ConnectType.Struct)
        {
            throw new ArgumentException($"source: a {schema.Type} schema for a struct");
        }

        writer.WriteStartObject();
        var fields = schema.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            writer.WritePropertyName(field.Name);
            Write(writer, field.Schema, EnvelopeRow.SourceValue(source, field.Name), field.Name);
        }

        writer.WriteEndObject();
    }

    // JsonConverter: null is null for an optional field, the default for a required one that has it, an error otherwise.
    private static void WriteNull(Utf8JsonWriter writer, ConnectSchema schema, string path)
    {
        if (schema.Optional)
        {
            writer.WriteNullValue();
        }
        else if (schema.DefaultValue is { } defaultValue)
        {
            Write(writer, schema, defaultValue, path);
        }
        else
        {
            throw new ArgumentException($"{path}: null for a required {schema.Name ?? schema.Type.ToString()}");
        }
    }

    // Jackson's QUOTE_NON_NUMERIC_NUMBERS (on by default): non-finite numbers as strings.
    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            WriteFloat(writer, (double)value);
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, ConnectSchema schema, IReadOnlyList<object?> items, string path)
    {
        var itemSchema = schema.Items ?? throw new ArgumentException($"{path}: array schema without items");
        writer.WriteStartArray();
        for (var i = 0; i < items.Count; i++)
        {
            Write(writer, itemSchema, items[i], path);
        }

        writer.WriteEndArray();
    }

    // String-keyed maps are JSON objects, all others arrays of [key, value] pairs.
    private static void WriteMap(Utf8JsonWriter writer, ConnectSchema schema, IEnumerable<KeyValuePair<object?, object?>> entries, string path)
    {
        var keys = schema.Keys ?? throw new ArgumentException($"{path}: map schema without keys");
        var values = schema.Values ?? throw new ArgumentException($"{path}: map schema without values");
        if (keys.Type == ConnectType.String)
        {
            writer.WriteStartObject();
            foreach (var (key, value) in entries)
            {
                writer.WritePropertyName(WireValue.Text(key ?? throw new ArgumentException($"{path}: null map key")));
                Write(writer, values, value, path);
            }

            writer.WriteEndObject();
            return;
        }

        writer.WriteStartArray();
        foreach (var (key, value) in entries)
        {
            writer.WriteStartArray();
            Write(writer, keys, key, path);
            Write(writer, values, value, path);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }
}
