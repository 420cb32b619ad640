using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// The JsonConverter value → .NET conversion behind <see cref="ConnectValue"/> (the table there is the contract).
/// Throws <see cref="ValueDecodeError"/>; callers add the path and turn it into an <see cref="EventDecodeException"/>.
/// </summary>
internal static partial class JsonValueReader
{
    /// <param name="element">The JSON value.</param>
    /// <param name="schema">Its Connect schema.</param>
    /// <param name="column">True for a whole column value, the only place a TOAST placeholder can be.</param>
    public static object? Read(JsonElement element, ConnectSchema schema, bool column)
    {
        var kind = element.ValueKind;
        if (kind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return schema.Optional ? null : throw new ValueDecodeError($"null for a required {Describe(schema)}");
        }

        if (column && kind == JsonValueKind.String && element.ValueEquals(ToastPlaceholder.Text))
        {
            return Unavailable.Value;
        }

        return schema.Type switch
        {
            ConnectType.Boolean => kind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Mismatch(element, schema, "a boolean"),
            },
            ConnectType.Int8 => ReadInt8(element, schema),
            ConnectType.Int16 => element.ValueKind == JsonValueKind.Number && element.TryGetInt16(out var s)
                ? s
                : throw Mismatch(element, schema, "an integer in the int16 range"),
            ConnectType.Int32 => ReadInt32(element, schema),
            ConnectType.Int64 => ReadInt64(element, schema),
            ConnectType.Float32 => ReadFloat32(element, schema),
            ConnectType.Float64 => ReadFloat64(element, schema),
            ConnectType.Bytes => ReadBytes(element, schema, column),
            ConnectType.String => ReadString(element, schema, column),
            ConnectType.Array => ReadArray(element, schema, column),
            ConnectType.Map => ReadMap(element, schema, column),
            ConnectType.Struct => schema.Name == ConnectLogicalNames.VariableScaleDecimal
                ? ReadVariableScaleDecimal(element, schema)
                : ReadStruct(element, schema),
            _ => throw new ValueDecodeError($"unsupported schema type {schema.Type}"),
        };
    }

    /// <summary>A struct value as a row; fields in schema order, missing optional fields as null, unknown JSON fields ignored.</summary>
    public static RowImage ReadStruct(JsonElement element, ConnectSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(element, schema, "an object");
        }

        var fields = schema.Fields;
        var columns = new Column[fields.Count];
        var next = 0;
        foreach (var property in element.EnumerateObject())
        {
            var index = next < fields.Count && property.NameEquals(fields[next].Name) ? next : IndexOf(fields, property);
            if (index < 0)
            {
                continue;
            }

            var field = fields[index];
            try
            {
                columns[index] = new Column(field.Name, Read(property.Value, field.Schema, column: true), field.Schema);
            }
            catch (ValueDecodeError error)
            {
                error.PushField(field.Name);
                throw;
            }

            next = index + 1;
        }

        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Name is null)
            {
                var field = fields[i];
                if (!field.Schema.Optional)
                {
                    var error = new ValueDecodeError($"missing required {Describe(field.Schema)}");
                    error.PushField(field.Name);
                    throw error;
                }

                columns[i] = new Column(field.Name, null, field.Schema);
            }
        }

        return new RowImage(columns, owned: true);
    }

    public static string Describe(ConnectSchema schema) =>
        schema.Name ?? schema.Type.ToString().ToLowerInvariant();

    private static ValueDecodeError Mismatch(JsonElement element, ConnectSchema schema, string expected) =>
        new($"expected {expected} for {Describe(schema)}, got {JsonText.Kind(element)}");

    private static int IndexOf(IReadOnlyList<ConnectField> fields, JsonProperty property)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (property.NameEquals(fields[i].Name))
            {
                return i;
            }
        }

        return -1;
    }
}
