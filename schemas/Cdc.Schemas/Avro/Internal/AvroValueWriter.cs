using System.Globalization;
using System.Text;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;
using BinaryEncoder = global::Avro.IO.BinaryEncoder;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// Writes .NET values (<see cref="ConnectValue"/>'s table) as Avro binary for the schema
/// <see cref="AvroSchemaWriter"/> derives from the same Connect schema; the inverse of <see cref="AvroValueReader"/>.
/// </summary>
internal static class AvroValueWriter
{
    public static void Write(BinaryEncoder encoder, ConnectSchema schema, object? value, string path)
    {
        if (schema.Optional)
        {
            var nullFirst = AvroSchemaWriter.NullFirst(schema);
            if (value is null)
            {
                encoder.WriteUnionIndex(nullFirst ? 0 : 1);
                return;
            }

            encoder.WriteUnionIndex(nullFirst ? 1 : 0);
        }
        else if (value is null)
        {
            throw new ArgumentException($"{path}: null for a required {schema.Name ?? schema.Type.ToString()}");
        }

        if (value is Unavailable)
        {
            value = WireValue.Placeholder(schema, path);
        }

        switch (schema.Type)
        {
            case ConnectType.Boolean:
                encoder.WriteBoolean(WireValue.As<bool>(value, path));
                break;
            case ConnectType.Int8 or ConnectType.Int16:
                encoder.WriteInt(Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case ConnectType.Int32:
                encoder.WriteInt(WireValue.Int32(value));
                break;
            case ConnectType.Int64:
                encoder.WriteLong(WireValue.Int64(schema, value));
                break;
            case ConnectType.Float32:
                encoder.WriteFloat(JavaNaN(WireValue.As<float>(value, path)));
                break;
            case ConnectType.Float64:
                encoder.WriteDouble(JavaNaN(WireValue.As<double>(value, path)));
                break;
            case ConnectType.Bytes:
                encoder.WriteBytes(WireValue.Bytes(schema, value, path));
                break;
            case ConnectType.String:
                encoder.WriteString(WireValue.Text(value));
                break;
            case ConnectType.Array:
                WriteArray(encoder, schema, WireValue.As<IReadOnlyList<object?>>(value, path), path);
                break;
            case ConnectType.Map:
                WriteMap(encoder, schema, WireValue.As<IEnumerable<KeyValuePair<object?, object?>>>(value, path).ToList(), path);
                break;
            case ConnectType.Struct when schema.Name == ConnectLogicalNames.VariableScaleDecimal:
                var variable = WireValue.As<ExactDecimal>(value, path);
                encoder.WriteInt(variable.Scale);
                encoder.WriteBytes(variable.Unscaled.ToByteArray(isUnsigned: false, isBigEndian: true));
                break;
            case ConnectType.Struct:
                WriteStruct(encoder, schema, WireValue.As<RowImage>(value, path), path);
                break;
            default:
                throw new ArgumentException($"{path}: unsupported schema type {schema.Type}");
        }
    }

    public static void WriteStruct(BinaryEncoder encoder, ConnectSchema schema, RowImage row, string path)
    {
        foreach (var field in schema.Fields)
        {
            Write(encoder, field.Schema, row.TryGet(field.Name, out var column) ? column.Value : null, path + "." + field.Name);
        }
    }

    private static void WriteArray(BinaryEncoder encoder, ConnectSchema schema, IReadOnlyList<object?> items, string path)
    {
        encoder.WriteArrayStart();
        encoder.SetItemCount(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            encoder.StartItem();
            Write(encoder, schema.Items!, items[i], $"{path}[{i}]");
        }

        encoder.WriteArrayEnd();
    }

    private static void WriteMap(BinaryEncoder encoder, ConnectSchema schema, List<KeyValuePair<object?, object?>> entries, string path)
    {
        var keys = schema.Keys!;
        var native = keys.Type == ConnectType.String && !keys.Optional;
        if (native)
        {
            encoder.WriteMapStart();
        }
        else
        {
            encoder.WriteArrayStart();
        }

        encoder.SetItemCount(entries.Count);
        foreach (var (key, value) in entries)
        {
            encoder.StartItem();
            if (native)
            {
                encoder.WriteString(WireValue.Text(key ?? throw new ArgumentException($"{path}: null map key")));
            }
            else
            {
                Write(encoder, keys, key, path + ".key");
            }

            Write(encoder, schema.Values!, value, $"{path}[{key}]");
        }

        if (native)
        {
            encoder.WriteMapEnd();
        }
        else
        {
            encoder.WriteArrayEnd();
        }
    }

    // .NET's NaN has the sign bit set; Java's (what Debezium writes) is the canonical 0x7ff8000000000000.
    private static double JavaNaN(double value) => double.IsNaN(value) ? BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0000) : value;

    private static float JavaNaN(float value) => float.IsNaN(value) ? BitConverter.Int32BitsToSingle(0x7FC0_0000) : value;
}
