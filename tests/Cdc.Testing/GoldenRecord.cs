using System.Text;
using System.Text.Json.Nodes;

namespace Cdc.Testing;

/// <summary>A fixture record's exact bytes, and derivations of it for test set-up (an earlier state of the same row).</summary>
public sealed record GoldenRecord(string Description, byte[]? Key, byte[]? Value)
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
