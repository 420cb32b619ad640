using System.Globalization;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using AvroSchema = global::Avro.Schema;
using AvroType = global::Avro.Schema.Type;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// Compiles an Avro writer schema into <see cref="AvroNode"/>s, recovering the Connect schema as Confluent's
/// AvroData.toConnectSchema does: a union with null is optional; <c>connect.name</c>, <c>connect.version</c>,
/// <c>connect.parameters</c>, <c>connect.type</c> (int8/int16) and <c>connect.default</c> carry what Avro cannot;
/// without <c>connect.name</c>, the Avro logical types decimal, date, time-millis and timestamp-millis map to
/// Connect's Decimal, Date, Time and Timestamp.
/// </summary>
internal static class AvroNodeBuilder
{
    private const int MaxDepth = 64;

    public static AvroNode Build(AvroSchema schema) => Build(schema, fieldDefault: null, depth: 0);

    private static AvroNode Build(AvroSchema schema, string? fieldDefault, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ValueDecodeError($"Avro schema nested deeper than {MaxDepth} levels (a recursive record?)");
        }

        if (schema is global::Avro.UnionSchema union)
        {
            return BuildUnion(union, fieldDefault, depth);
        }

        var node = BuildRequired(schema, depth);
        return node with { Connect = WithDefault(node.Connect with { Optional = false }, schema, fieldDefault) };
    }

    private static AvroNode BuildUnion(global::Avro.UnionSchema union, string? fieldDefault, int depth)
    {
        var nullBranch = -1;
        var valueBranch = -1;
        for (var i = 0; i < union.Count; i++)
        {
            if (union[i].Tag == AvroType.Null)
            {
                nullBranch = i;
            }
            else if (valueBranch < 0)
            {
                valueBranch = i;
            }
            else
            {
                throw new ValueDecodeError($"Avro union {union} has more than one non-null branch, which Connect cannot represent");
            }
        }

        if (valueBranch < 0)
        {
            return new AvroNode
            {
                Kind = AvroType.Null,
                Connect = new ConnectSchema { Type = ConnectType.String, Optional = true },
                BranchCount = union.Count,
                NullBranch = nullBranch,
            };
        }

        var inner = BuildRequired(union[valueBranch], depth);
        return inner with
        {
            Connect = WithDefault(inner.Connect with { Optional = nullBranch >= 0 }, union[valueBranch], fieldDefault),
            BranchCount = union.Count,
            NullBranch = nullBranch,
            ValueBranch = valueBranch,
        };
    }

    private static AvroNode BuildRequired(AvroSchema schema, int depth)
    {
        var wire = schema is global::Avro.LogicalSchema logical ? logical.BaseSchema : schema;
        var kind = wire.Tag;
        var connect = new ConnectSchema
        {
            Type = ConnectTypeOf(schema, wire),
            Name = AvroProperties.String(schema, AvroProperties.ConnectName),
            Version = AvroProperties.Int(schema, AvroProperties.ConnectVersion),
            Parameters = AvroProperties.Parameters(schema) ?? ConnectSchema.NoParameters,
            Optional = false,
        };
        connect = WithLogicalType(connect, schema);

        switch (wire)
        {
            case global::Avro.RecordSchema record:
                var fields = record.Fields.Select(f => (f.Name, Build(f.Schema, f.DefaultValue?.ToString(Newtonsoft.Json.Formatting.None), depth + 1))).ToList();
                return new AvroNode
                {
                    Kind = kind,
                    Connect = connect with
                    {
                        Name = connect.Name ?? (record.Namespace == "io.confluent.connect.avro" && record.Name.StartsWith("ConnectDefault", StringComparison.Ordinal) ? null : record.Fullname),
                        Fields = fields.Select(f => new ConnectField(f.Name, f.Item2.Connect)).ToList(),
                    },
                    Fields = fields,
                };
            case global::Avro.ArraySchema array:
                var items = Build(array.ItemSchema, null, depth + 1);
                if (IsMapEntry(items))
                {
                    return new AvroNode
                    {
                        Kind = kind,
                        Connect = connect with { Type = ConnectType.Map, Keys = items.Fields[0].Node.Connect, Values = items.Fields[1].Node.Connect },
                        Items = items,
                        IsMapEntries = true,
                    };
                }

                return new AvroNode { Kind = kind, Connect = connect with { Items = items.Connect }, Items = items };
            case global::Avro.MapSchema map:
                var values = Build(map.ValueSchema, null, depth + 1);
                return new AvroNode
                {
                    Kind = kind,
                    Connect = connect with { Keys = new ConnectSchema { Type = ConnectType.String, Optional = false }, Values = values.Connect },
                    Items = values,
                };
            case global::Avro.EnumSchema enumeration:
                return new AvroNode { Kind = kind, Connect = connect, Symbols = enumeration.Symbols.ToList() };
            case global::Avro.FixedSchema fixedSchema:
                return new AvroNode { Kind = kind, Connect = connect, FixedSize = fixedSchema.Size };
            default:
                return new AvroNode { Kind = kind, Connect = connect };
        }
    }

    private static ConnectType ConnectTypeOf(AvroSchema schema, AvroSchema wire) => wire.Tag switch
    {
        AvroType.Boolean => ConnectType.Boolean,
        AvroType.Int => AvroProperties.String(schema, AvroProperties.ConnectType) switch
        {
            "int8" => ConnectType.Int8,
            "int16" => ConnectType.Int16,
            _ => ConnectType.Int32,
        },
        AvroType.Long => ConnectType.Int64,
        AvroType.Float => ConnectType.Float32,
        AvroType.Double => ConnectType.Float64,
        AvroType.Bytes or AvroType.Fixed => ConnectType.Bytes,
        AvroType.String or AvroType.Enumeration => ConnectType.String,
        AvroType.Record or AvroType.Error => ConnectType.Struct,
        AvroType.Array => ConnectType.Array,
        AvroType.Map => ConnectType.Map,
        var other => throw new ValueDecodeError($"unsupported Avro type {other}"),
    };

    // Plain Avro logical types, when AvroData's connect.name is absent.
    private static ConnectSchema WithLogicalType(ConnectSchema connect, AvroSchema schema)
    {
        var logicalType = AvroProperties.LogicalType(schema);
        if (logicalType == "decimal")
        {
            var parameters = new Dictionary<string, string>(connect.Parameters);
            if (!parameters.ContainsKey(ConnectLogicalNames.ScaleParameter))
            {
                parameters[ConnectLogicalNames.ScaleParameter] = (AvroProperties.Int(schema, "scale") ?? 0).ToString(CultureInfo.InvariantCulture);
                if (AvroProperties.Int(schema, "precision") is { } precision)
                {
                    parameters[ConnectLogicalNames.PrecisionParameter] = precision.ToString(CultureInfo.InvariantCulture);
                }
            }

            return connect with { Name = connect.Name ?? ConnectLogicalNames.Decimal, Parameters = parameters };
        }

        if (connect.Name is not null)
        {
            return connect;
        }

        return logicalType switch
        {
            "date" when connect.Type == ConnectType.Int32 => connect with { Name = ConnectLogicalNames.ConnectDate },
            "time-millis" when connect.Type == ConnectType.Int32 => connect with { Name = ConnectLogicalNames.ConnectTime },
            "timestamp-millis" when connect.Type == ConnectType.Int64 => connect with { Name = ConnectLogicalNames.ConnectTimestamp },
            _ => connect,
        };
    }

    private static bool IsMapEntry(AvroNode items) =>
        items.Kind == AvroType.Record && items.Fields.Count == 2 && items.Fields[0].Name == "key" && items.Fields[1].Name == "value" &&
        (items.Connect.Name ?? "").StartsWith("io.confluent.connect.avro.MapEntry", StringComparison.Ordinal);

    // connect.default on the schema wins over the field's Avro default (AvroData writes both).
    private static ConnectSchema WithDefault(ConnectSchema connect, AvroSchema schema, string? fieldDefault)
    {
        var json = AvroProperties.Get(schema, AvroProperties.ConnectDefault)?.GetRawText() ?? fieldDefault;
        if (json is null || connect.Type is ConnectType.Struct or ConnectType.Array or ConnectType.Map)
        {
            return connect;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Null => connect,
                // Avro JSON writes bytes as a string of ISO-8859-1 characters, one per byte.
                JsonValueKind.String when connect.Type == ConnectType.Bytes =>
                    connect with { DefaultValue = AvroValueConverter.Convert(System.Text.Encoding.Latin1.GetBytes(root.GetString()!), connect, column: false) },
                _ when connect.Type == ConnectType.Bytes => connect,
                _ => connect with { DefaultValue = JsonValueReader.Read(root, connect, column: false) },
            };
        }
        catch (Exception e) when (e is ValueDecodeError or JsonException or FormatException)
        {
            return connect;
        }
    }
}
