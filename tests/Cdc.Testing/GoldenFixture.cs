using System.Text;
using System.Text.Json;

namespace Cdc.Testing;

/// <summary>
/// One of the decoder's golden fixtures (<c>tests/Cdc.Schemas.Tests/Fixtures/*.json</c>, linked into each test
/// project's output): <c>{"topic", "records": [{"description", "key", "value"}]}</c>, where a key or value is the exact Kafka
/// record bytes: a JSON object or array is its own raw text, a JSON string holds the text itself, JSON null is a
/// null key or a tombstone.
/// </summary>
public sealed class GoldenFixture
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

    /// <summary>The fixture files in the test's output folder, by name.</summary>
    public static IEnumerable<string> AllNames() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.json")
            .Select(p => Path.GetFileName(p))
            .Order(StringComparer.Ordinal);

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
