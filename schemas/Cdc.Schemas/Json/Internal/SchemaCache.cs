using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// Parsed schemas keyed by the exact bytes of the JsonConverter schema JSON: Debezium repeats the same schema
/// text on every message of a table, so parsing happens once per distinct schema. Thread-safe. When it holds
/// <c>capacity</c> entries it is cleared (schemas are few; a flood of distinct ones means a producer bug).
/// </summary>
internal sealed class SchemaCache
{
    private readonly ConcurrentDictionary<SchemaKey, Entry> _schemas = new(SchemaKeyComparer.Instance);
    private readonly ConcurrentDictionary<SchemaKey, Entry>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly int _capacity;
    private volatile Entry? _last;

    public SchemaCache(int capacity)
    {
        _capacity = Math.Max(1, capacity);
        _lookup = _schemas.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _schemas.Count;

    /// <summary>The schema most recently returned, with its exact bytes (null before the first).</summary>
    public (byte[] Bytes, ConnectSchema Schema)? Last => _last is { } last ? (last.Bytes, last.Schema) : null;

    /// <exception cref="EventDecodeException">The bytes are not a valid schema.</exception>
    public ConnectSchema GetOrParse(ReadOnlySpan<byte> schemaJson)
    {
        // Consecutive messages usually come from one table: one vectorised compare, no hashing.
        var last = _last;
        if (last is not null && schemaJson.SequenceEqual(last.Bytes))
        {
            return last.Schema;
        }

        if (!_lookup.TryGetValue(schemaJson, out var entry))
        {
            var key = new SchemaKey(schemaJson.ToArray());
            entry = new Entry(key.Bytes, Parse(schemaJson));
            if (_schemas.Count >= _capacity)
            {
                _schemas.Clear();
            }

            _schemas.TryAdd(key, entry);
        }

        _last = entry;
        return entry.Schema;
    }

    private static ConnectSchema Parse(ReadOnlySpan<byte> schemaJson)
    {
        var reader = new Utf8JsonReader(schemaJson);
        var element = JsonElement.ParseValue(ref reader);
        return ConnectSchemaJson.Parse(element);
    }

    private sealed record Entry(byte[] Bytes, ConnectSchema Schema);

    private sealed class SchemaKey(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public int Hash { get; } = SchemaKeyComparer.HashOf(bytes);
    }

    private sealed class SchemaKeyComparer : IEqualityComparer<SchemaKey>, IAlternateEqualityComparer<ReadOnlySpan<byte>, SchemaKey>
    {
        public static readonly SchemaKeyComparer Instance = new();

        // Length, 32 sampled words and the last 128 bytes (where Debezium puts the schema's name): O(1) in the
        // schema size. Collisions only cost a full compare.
        public static int HashOf(ReadOnlySpan<byte> bytes)
        {
            var hash = new HashCode();
            hash.Add(bytes.Length);
            if (bytes.Length >= 8)
            {
                var step = Math.Max(1, (bytes.Length - 8) / 32);
                for (var i = 0; i + 8 <= bytes.Length; i += step)
                {
                    hash.Add(MemoryMarshal.Read<long>(bytes[i..]));
                    if (i / step >= 32)
                    {
                        break;
                    }
                }
            }

            hash.AddBytes(bytes[Math.Max(0, bytes.Length - 128)..]);
            return hash.ToHashCode();
        }

        public bool Equals(SchemaKey? x, SchemaKey? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Hash == y.Hash && x.Bytes.AsSpan().SequenceEqual(y.Bytes));

        public int GetHashCode(SchemaKey obj) => obj.Hash;

        public bool Equals(ReadOnlySpan<byte> alternate, SchemaKey other) => alternate.SequenceEqual(other.Bytes);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => HashOf(alternate);

        public SchemaKey Create(ReadOnlySpan<byte> alternate) => new(alternate.ToArray());
    }
}
