using System.Globalization;
using System.Text;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// Connect schema → Avro schema JSON, following Confluent's AvroData.fromConnectSchema with its defaults
/// (<c>connect.meta.data=true</c>, <c>enhanced.avro.schema.support=false</c>): property order and names as
/// AvroData writes them, a record defined once and referenced by full name afterwards.
/// </summary>
internal sealed class AvroSchemaWriter
{
    /// <summary>AvroData's precision for a Decimal without <c>connect.decimal.precision</c>.</summary>
    public const int DefaultDecimalPrecision = 64;

    private const string ConnectNamespace = "io.confluent.connect.avro";

    private readonly Utf8JsonWriter _json;
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private string? _enclosingNamespace;
    private int _unnamed;
    private int _mapEntries;

    private AvroSchemaWriter(Utf8JsonWriter json)
    {
        _json = json;
    }

    public static string Write(ConnectSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            new AvroSchemaWriter(json).WriteSchema(schema, ignoreOptional: false);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Optional schemas become <c>["null", X]</c>, or <c>[X, "null"]</c> when they have a non-null default.</summary>
    public static bool NullFirst(ConnectSchema schema) => schema.DefaultValue is null;

    private void WriteSchema(ConnectSchema schema, bool ignoreOptional)
    {
        if (schema.Optional && !ignoreOptional)
        {
            _json.WriteStartArray();
            if (NullFirst(schema))
            {
                _json.WriteStringValue("null");
                WriteSchema(schema, ignoreOptional: true);
            }
            else
            {
                WriteSchema(schema, ignoreOptional: true);
                _json.WriteStringValue("null");
            }

            _json.WriteEndArray();
            return;
        }

        switch (schema.Type)
        {
            case ConnectType.Struct:
                WriteRecord(schema);
                return;
            case ConnectType.Array:
                _json.WriteStartObject();
                _json.WriteString("type", "array");
                _json.WritePropertyName("items");
                WriteSchema(schema.Items ?? throw new ArgumentException("array schema without items"), ignoreOptional: false);
                WriteConnectProperties(schema);
                _json.WriteEndObject();
                return;
            case ConnectType.Map:
                WriteMap(schema);
                return;
            default:
                WritePrimitive(schema);
                return;
        }
    }

    private void WritePrimitive(ConnectSchema schema)
    {
        var avroType = schema.Type switch
        {
            ConnectType.Boolean => "boolean",
            ConnectType.Int8 or ConnectType.Int16 or ConnectType.Int32 => "int",
            ConnectType.Int64 => "long",
            ConnectType.Float32 => "float",
            ConnectType.Float64 => "double",
            ConnectType.Bytes => "bytes",
            _ => "string",
        };
        var connectType = schema.Type switch
        {
            ConnectType.Int8 => "int8",
            ConnectType.Int16 => "int16",
            _ => null,
        };
        var logicalType = schema.Name switch
        {
            ConnectLogicalNames.Decimal => "decimal",
            ConnectLogicalNames.ConnectDate => "date",
            ConnectLogicalNames.ConnectTime => "time-millis",
            ConnectLogicalNames.ConnectTimestamp => "timestamp-millis",
            _ => null,
        };

        if (connectType is null && schema.Name is null && schema.Version is null && schema.Parameters.Count == 0 && schema.DefaultValue is null)
        {
            _json.WriteStringValue(avroType);
            return;
        }

        _json.WriteStartObject();
        _json.WriteString("type", avroType);
        if (logicalType == "decimal")
        {
            var scale = int.Parse(schema.Parameter(ConnectLogicalNames.ScaleParameter) ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            var precision = int.TryParse(schema.Parameter(ConnectLogicalNames.PrecisionParameter), NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                ? p
                : DefaultDecimalPrecision;
            _json.WriteNumber("scale", scale);
            _json.WriteNumber("precision", precision);
        }

        if (connectType is not null)
        {
            _json.WriteString(AvroProperties.ConnectType, connectType);
        }

        WriteConnectProperties(schema);
        if (logicalType is not null)
        {
            _json.WriteString("logicalType", logicalType);
        }

        _json.WriteEndObject();
    }

    private void WriteRecord(ConnectSchema schema)
    {
        var fullName = schema.Name ?? $"{ConnectNamespace}.ConnectDefault{(++_unnamed == 1 ? "" : _unnamed.ToString(CultureInfo.InvariantCulture))}";
        var dot = fullName.LastIndexOf('.');
        var space = dot > 0 ? fullName[..dot] : null;
        var name = dot < 0 ? fullName : fullName[(dot + 1)..];

        // As Java Avro writes names: relative to the enclosing record's namespace when they share it.
        if (!_defined.Add(fullName))
        {
            _json.WriteStringValue(space is not null && space == _enclosingNamespace ? name : fullName);
            return;
        }

        _json.WriteStartObject();
        _json.WriteString("type", "record");
        _json.WriteString("name", name);
        if (space is not null && space != _enclosingNamespace)
        {
            _json.WriteString("namespace", space);
        }

        var outer = _enclosingNamespace;
        _enclosingNamespace = space;

        _json.WritePropertyName("fields");
        _json.WriteStartArray();
        foreach (var field in schema.Fields)
        {
            _json.WriteStartObject();
            _json.WriteString("name", field.Name);
            _json.WritePropertyName("type");
            WriteSchema(field.Schema, ignoreOptional: false);
            if (field.Schema.Optional || field.Schema.DefaultValue is not null)
            {
                _json.WritePropertyName("default");
                WriteDefault(field.Schema);
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _enclosingNamespace = outer;
        if (schema.Name == ConnectLogicalNames.VariableScaleDecimal)
        {
            _json.WriteString(AvroProperties.ConnectDoc, "Variable scaled decimal");
        }

        WriteConnectProperties(schema);
        _json.WriteEndObject();
    }

    private void WriteMap(ConnectSchema schema)
    {
        var keys = schema.Keys ?? throw new ArgumentException("map schema without keys");
        var values = schema.Values ?? throw new ArgumentException("map schema without values");
        _json.WriteStartObject();
        if (keys.Type == ConnectType.String && !keys.Optional)
        {
            _json.WriteString("type", "map");
            _json.WritePropertyName("values");
            WriteSchema(values, ignoreOptional: false);
        }
        else
        {
            var suffix = ++_mapEntries == 1 ? "" : _mapEntries.ToString(CultureInfo.InvariantCulture);
            _json.WriteString("type", "array");
            _json.WritePropertyName("items");
            WriteRecord(new ConnectSchema
            {
                Type = ConnectType.Struct,
                Name = $"{ConnectNamespace}.MapEntry{suffix}",
                Optional = false,
                Fields = [new ConnectField("key", keys), new ConnectField("value", values)],
            });
        }

        WriteConnectProperties(schema);
        _json.WriteEndObject();
    }

    private void WriteConnectProperties(ConnectSchema schema)
    {
        if (schema.Version is { } version)
        {
            _json.WriteNumber(AvroProperties.ConnectVersion, version);
        }

        if (schema.Parameters.Count > 0)
        {
            _json.WritePropertyName(AvroProperties.ConnectParameters);
            _json.WriteStartObject();
            foreach (var (key, value) in schema.Parameters)
            {
                _json.WriteString(key, value);
            }

            _json.WriteEndObject();
        }

        if (schema.DefaultValue is not null)
        {
            _json.WritePropertyName(AvroProperties.ConnectDefault);
            WriteDefault(schema);
        }

        if (schema.Name is not null && !schema.Name.StartsWith(ConnectNamespace + ".MapEntry", StringComparison.Ordinal))
        {
            _json.WriteString(AvroProperties.ConnectName, schema.Name);
        }
    }

    // A default as Avro JSON encodes it: numbers and strings as themselves, bytes as a string of ISO-8859-1
    // characters, one per byte; logical values in their wire form (epoch numbers, unscaled bytes, ISO text).
    private void WriteDefault(ConnectSchema schema)
    {
        var value = schema.DefaultValue;
        if (value is null)
        {
            _json.WriteNullValue();
            return;
        }

        switch (schema.Type)
        {
            case ConnectType.Boolean: _json.WriteBooleanValue((bool)value); break;
            case ConnectType.Int8 or ConnectType.Int16 or ConnectType.Int32: _json.WriteNumberValue(WireValue.Int32(value)); break;
            case ConnectType.Int64: _json.WriteNumberValue(WireValue.Int64(schema, value)); break;
            case ConnectType.Float32: _json.WriteNumberValue(Convert.ToSingle(value, CultureInfo.InvariantCulture)); break;
            case ConnectType.Float64: _json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case ConnectType.Bytes: _json.WriteStringValue(Encoding.Latin1.GetString(WireValue.Bytes(schema, value, "default"))); break;
            case ConnectType.String: _json.WriteStringValue(WireValue.Text(value)); break;
            default: _json.WriteNullValue(); break;
        }
    }
}
