using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;
using AvroType = global::Avro.Schema.Type;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// Reads Avro binary with a compiled writer schema into the .NET values of <see cref="ConnectValue"/>'s table,
/// exactly as the JSON path produces them: each value is read raw off the wire, then converted by its Connect
/// schema (<see cref="AvroValueConverter"/>), so TOAST placeholders are recognised before logical conversion.
/// </summary>
internal static class AvroValueReader
{
    public static object? Read(AvroBinaryReader decoder, AvroNode node, bool column)
    {
        var raw = ReadRaw(decoder, node, column);
        return raw is null || node.Kind is AvroType.Record or AvroType.Array or AvroType.Map ? raw : AvroValueConverter.Convert(raw, node.Connect, column);
    }

    public static RowImage ReadStruct(AvroBinaryReader decoder, AvroNode node)
    {
        var columns = new Column[node.Fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var (name, field) = node.Fields[i];
            try
            {
                columns[i] = new Column(name, Read(decoder, field, column: true), field.Connect);
            }
            catch (ValueDecodeError error)
            {
                error.PushField(name);
                throw;
            }
        }

        return new RowImage(columns, owned: true);
    }

    /// <summary>The wire value: null, bool, int, long, float, double, byte[], string, or a finished complex value.</summary>
    private static object? ReadRaw(AvroBinaryReader decoder, AvroNode node, bool column)
    {
        if (node.BranchCount > 0)
        {
            var branch = decoder.ReadInt();
            if (branch == node.NullBranch)
            {
                return null;
            }

            if (branch != node.ValueBranch)
            {
                throw new ValueDecodeError($"union branch {branch} out of range (the union has {node.BranchCount})");
            }
        }

        switch (node.Kind)
        {
            case AvroType.Null:
                return null;
            case AvroType.Boolean:
                return decoder.ReadBoolean();
            case AvroType.Int:
                return decoder.ReadInt();
            case AvroType.Long:
                return decoder.ReadLong();
            case AvroType.Float:
                return decoder.ReadFloat();
            case AvroType.Double:
                return decoder.ReadDouble();
            case AvroType.Bytes:
                return decoder.ReadBytes();
            case AvroType.Fixed:
                return decoder.ReadFixed(node.FixedSize);
            case AvroType.String:
                return decoder.ReadString(node.Strings);
            case AvroType.Enumeration:
                var symbol = decoder.ReadInt();
                return symbol >= 0 && symbol < node.Symbols.Count ? node.Symbols[symbol] : throw new ValueDecodeError($"enum symbol {symbol} out of range");
            case AvroType.Record or AvroType.Error:
                return node.Connect.Name == ConnectLogicalNames.VariableScaleDecimal ? ReadVariableScaleDecimal(decoder, node) : ReadStruct(decoder, node);
            case AvroType.Array:
                return node.IsMapEntries ? ReadMapEntries(decoder, node, column) : ReadArray(decoder, node, column);
            case AvroType.Map:
                return ReadMap(decoder, node, column);
            default:
                throw new ValueDecodeError($"unsupported Avro type {node.Kind}");
        }
    }

    private static object ReadArray(AvroBinaryReader decoder, AvroNode node, bool column)
    {
        var items = node.Items!;
        var raw = new List<object?>();
        for (var n = decoder.ReadBlockCount(); n != 0; n = decoder.ReadBlockCount())
        {
            for (var i = 0; i < n; i++)
            {
                raw.Add(ReadRaw(decoder, items, column: false));
            }
        }

        if (column && AvroToastPlaceholder.IsArray(raw, items.Connect))
        {
            return Unavailable.Value;
        }

        var result = new object?[raw.Count];
        var complex = items.Kind is AvroType.Record or AvroType.Array or AvroType.Map;
        for (var i = 0; i < result.Length; i++)
        {
            try
            {
                result[i] = raw[i] is null || complex ? raw[i] : AvroValueConverter.Convert(raw[i]!, items.Connect, column: false);
            }
            catch (ValueDecodeError error)
            {
                error.PushIndex(i);
                throw;
            }
        }

        return result;
    }

    private static object ReadMap(AvroBinaryReader decoder, AvroNode node, bool column)
    {
        var entries = new List<KeyValuePair<object?, object?>>();
        for (var n = decoder.ReadBlockCount(); n != 0; n = decoder.ReadBlockCount())
        {
            for (var i = 0; i < n; i++)
            {
                var key = decoder.ReadString();
                try
                {
                    entries.Add(new(key, Read(decoder, node.Items!, column: false)));
                }
                catch (ValueDecodeError error)
                {
                    error.PushField(key);
                    throw;
                }
            }
        }

        return column && AvroToastPlaceholder.IsMap(entries) ? Unavailable.Value : entries.ToArray();
    }

    private static object ReadMapEntries(AvroBinaryReader decoder, AvroNode node, bool column)
    {
        var entry = node.Items!;
        var entries = new List<KeyValuePair<object?, object?>>();
        for (var n = decoder.ReadBlockCount(); n != 0; n = decoder.ReadBlockCount())
        {
            for (var i = 0; i < n; i++)
            {
                if (entry.BranchCount > 0 && decoder.ReadInt() == entry.NullBranch)
                {
                    throw new ValueDecodeError("null map entry");
                }

                var key = Read(decoder, entry.Fields[0].Node, column: false);
                entries.Add(new(key, Read(decoder, entry.Fields[1].Node, column: false)));
            }
        }

        return column && AvroToastPlaceholder.IsMap(entries) ? Unavailable.Value : entries.ToArray();
    }

    private static ExactDecimal ReadVariableScaleDecimal(AvroBinaryReader decoder, AvroNode node)
    {
        int? scale = null;
        byte[]? value = null;
        foreach (var (name, field) in node.Fields)
        {
            var raw = ReadRaw(decoder, field, column: false);
            switch (name)
            {
                case "scale" when raw is int s:
                    scale = s;
                    break;
                case "value" when raw is byte[] b:
                    value = b;
                    break;
                default:
                    break;
            }
        }

        if (scale is null)
        {
            throw new ValueDecodeError($"{ConnectLogicalNames.VariableScaleDecimal} without an int32 'scale'");
        }

        return value is { Length: > 0 }
            ? new ExactDecimal(new System.Numerics.BigInteger(value, isUnsigned: false, isBigEndian: true), scale.Value)
            : throw new ValueDecodeError($"{ConnectLogicalNames.VariableScaleDecimal} without a 'value'");
    }
}
