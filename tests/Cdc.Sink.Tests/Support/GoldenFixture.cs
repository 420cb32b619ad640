using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cdc.Sink.Tests.Support;

/// <summary>
/// One of the decoder's golden fixtures (<c>tests/Cdc.Schemas.Tests/Fixtures/*.json</c>, linked into this project's
/// output): <c>{"topic", "records": [{"description", "key", "value"}]}</c>, where a key or value is the exact Kafka
/// record bytes: a JSON object or array is its own raw text, a JSON string holds the text itself, JSON null is a
/// null key or a tombstone.
/// </summary>
internal sealed class GoldenFixture
{
    private GoldenFixture(string name, string topic, IReadOnlyList<GoldenRecord> records)
    {
        Name = name;
        Topic = topic;
        Records = records;
    }

    public string Name { get; }

    /// <summary>The topic Debezium wrote the records to (tests produce to a unique topic with this prefix).</summary>
    public string Topic { get; }

    public IReadOnlyList<GoldenRecord> Records { get; }

    public GoldenRecord this[int index] => Records[index];

    public static GoldenFixture Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));
        var root = document.RootElement;
        var records = root.GetProperty("records").EnumerateArray()
            .Select(r => new GoldenRecord(r.GetProperty("description").GetString()!, Bytes(r.GetProperty("key")), Bytes(r.GetProperty("value"))))
            .ToList();
        return new GoldenFixture(name, root.GetProperty("topic").GetString()!, records);
    }

    private static byte[]? Bytes(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => Encoding.UTF8.GetBytes(element.GetString()!),
        _ => Encoding.UTF8.GetBytes(element.GetRawText()),
    };
}

/// <summary>A fixture record's exact bytes, and derivations of it for test set-up (an earlier state of the same row).</summary>
internal sealed record GoldenRecord(string Description, byte[]? Key, byte[]? Value)
{
    /// <summary>
    /// A copy whose value payload (<c>payload</c> of a schema-carrying message, else the whole message) is edited;
    /// the schema part is kept byte for byte in meaning. The key is edited with <paramref name="key"/> likewise.
    /// </summary>
    public GoldenRecord Derive(Action<JsonObject> payload, Action<JsonObject>? key = null) =>
        this with
        {
            Key = key is null || Key is null ? Key : Edit(Key, key),
            Value = Edit(Value ?? throw new InvalidOperationException("a tombstone has no payload to edit"), payload),
        };

    /// <summary>
    /// The same row as a snapshot read (<c>op r</c>, <c>sequence [null, eventLsn]</c>): its <c>after</c> replaced by
    /// <paramref name="after"/> (each column in Debezium's JSON encoding), or by the record's own <c>before</c>
    /// image when null (the row as it was before this change); <c>before</c> null.
    /// </summary>
    public GoldenRecord SnapshotRead(long eventLsn, JsonObject? after = null) =>
        Derive(p =>
        {
            p["after"] = after?.DeepClone() ?? p["before"]?.DeepClone() ?? throw new InvalidOperationException("the record has no before image");
            p["op"] = "r";
            p["before"] = null;
            var source = p["source"]!.AsObject();
            source["snapshot"] = "true";
            source["sequence"] = $"[null,\"{eventLsn}\"]";
            source["lsn"] = eventLsn;
        });

    private static byte[] Edit(byte[] message, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(message)!.AsObject();
        var payload = root.ContainsKey("schema") && root["payload"] is JsonObject inner ? inner : root;
        edit(payload);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
