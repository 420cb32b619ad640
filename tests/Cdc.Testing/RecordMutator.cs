using System.Text;
using System.Text.Json.Nodes;

namespace Cdc.Testing;

/// <summary>
/// Random mutations of valid records, seeded so a failure reproduces: byte-level (flip, insert, delete, duplicate,
/// splice, truncate) for any encoding, and JSON-structural (a node replaced by another kind, a property removed or
/// renamed, a schema type or logical name swapped) so that mutated JSON stays parseable and reaches the converters.
/// Used by the decoder's fuzz tests and the sink's poison tests.
/// </summary>
public sealed class RecordMutator(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)','];

    private static readonly string[] Nodes =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e-400", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "\"\"", "\"x\"", "\"AA==\"", "\"////\"", "\"not base64!\"", "\"9999-99-99T99:99:99Z\"", "\"2019-05-28T09:38:24.863769123456Z\"",
        "\"__debezium_unavailable_value\"", "\"[\\\"1\\\",\\\"2\\\"]\"", "\"[null,null]\"", "\"[\\\"x\\\"]\"", "\"c\"", "\"u\"", "\"d\"", "\"t\"", "\"m\"", "\"r\"", "\"?\"",
        "[]", "[null]", "[[1]]", "[1,\"x\"]", "{}", "{\"scale\":1}", "{\"scale\":-2147483648,\"value\":\"AQ==\"}", "{\"scale\":99999,\"value\":\"/////////////w==\"}",
        "{\"type\":\"struct\"}", "{\"type\":\"array\"}", "{\"type\":\"map\",\"keys\":{\"type\":\"string\"}}", "{\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\"}",
    ];

    private static readonly string[] SchemaTypes = ["boolean", "int8", "int16", "int32", "int64", "float", "double", "bytes", "string", "array", "map", "struct", "record", "null", "unknown"];

    private static readonly string[] LogicalNames =
    [
        "org.apache.kafka.connect.data.Decimal", "io.debezium.data.VariableScaleDecimal", "io.debezium.time.Date", "io.debezium.time.Time",
        "io.debezium.time.MicroTime", "io.debezium.time.Timestamp", "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp",
        "io.debezium.time.ZonedTimestamp", "io.debezium.time.ZonedTime", "io.debezium.time.MicroDuration", "io.debezium.time.Interval",
        "io.debezium.data.Bits", "io.debezium.data.Uuid", "io.debezium.data.Json", "io.debezium.data.Enum", "io.debezium.data.geometry.Point",
        "org.apache.kafka.connect.data.Date", "org.apache.kafka.connect.data.Time", "org.apache.kafka.connect.data.Timestamp", "com.example.Unknown",
    ];

    private readonly Random _random = new(seed);

    public int Next(int max) => _random.Next(max);

    public byte[] RandomBytes(int maxLength)
    {
        var bytes = new byte[_random.Next(maxLength + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>One to four byte-level mutations; <paramref name="other"/> is spliced in sometimes.</summary>
    public byte[] MutateBytes(byte[] input, byte[] other, int keepPrefix = 0)
    {
        var bytes = new List<byte>(input);
        for (var n = _random.Next(1, 5); n > 0; n--)
        {
            var at = keepPrefix + _random.Next(Math.Max(1, bytes.Count - keepPrefix));
            switch (_random.Next(7))
            {
                case 0 when bytes.Count > keepPrefix:
                    bytes[Math.Min(at, bytes.Count - 1)] = (byte)_random.Next(256);
                    break;
                case 1 when bytes.Count > keepPrefix:
                    bytes[Math.Min(at, bytes.Count - 1)] = Interesting[_random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.InsertRange(Math.Min(at, bytes.Count), RandomBytes(8));
                    break;
                case 3 when bytes.Count > at:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(16)));
                    break;
                case 4 when bytes.Count > at:
                    var length = Math.Min(bytes.Count - at, 1 + _random.Next(64));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 5 when other.Length > 0:
                    var from = _random.Next(other.Length);
                    bytes.InsertRange(Math.Min(at, bytes.Count), other.Skip(from).Take(1 + _random.Next(64)));
                    break;
                default:
                    bytes.RemoveRange(Math.Min(at, bytes.Count), bytes.Count - Math.Min(at, bytes.Count));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>One to three structural mutations of a JSON document (schema and payload alike).</summary>
    public byte[] MutateJson(byte[] json)
    {
        var root = JsonNode.Parse(json)!;
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            var target = nodes[_random.Next(nodes.Count)];
            if (target.Parent is not { } parent)
            {
                continue;
            }

            var name = parent is JsonObject ? target.GetPropertyName() : null;
            var replacement = name switch
            {
                "type" when _random.Next(2) == 0 => JsonValue.Create(SchemaTypes[_random.Next(SchemaTypes.Length)]),
                "name" when _random.Next(2) == 0 => JsonValue.Create(LogicalNames[_random.Next(LogicalNames.Length)]),
                _ => JsonNode.Parse(Nodes[_random.Next(Nodes.Length)]),
            };
            switch (parent)
            {
                case JsonObject obj when _random.Next(4) == 0:
                    obj.Remove(name!);
                    break;
                case JsonObject obj when _random.Next(4) == 0:
                    obj.Remove(name!);
                    obj[name! + "_x"] = target;
                    break;
                case JsonObject obj:
                    obj[name!] = replacement;
                    break;
                case JsonArray array when _random.Next(4) == 0:
                    array.RemoveAt(target.GetElementIndex());
                    break;
                case JsonArray array:
                    array[target.GetElementIndex()] = replacement;
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        switch (node)
        {
            case JsonObject obj:
                nodes.Add(obj);
                foreach (var (_, child) in obj)
                {
                    Collect(child, nodes);
                }

                break;
            case JsonArray array:
                nodes.Add(array);
                foreach (var child in array)
                {
                    Collect(child, nodes);
                }

                break;
            case not null:
                nodes.Add(node);
                break;
        }
    }
}
