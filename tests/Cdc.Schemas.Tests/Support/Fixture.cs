using System.Text;
using System.Text.Json;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Support;

/// <summary>
/// A golden fixture: <c>{"topic", "records": [{"description", "key", "value"}]}</c> where key and value are the
/// exact Kafka record bytes (JSON null = a null key or a tombstone value).
/// </summary>
internal sealed class Fixture
{
    private Fixture(string name, string topic, IReadOnlyList<FixtureRecord> records)
    {
        Name = name;
        Topic = topic;
        Records = records;
    }

    public string Name { get; }

    public string Topic { get; }

    public IReadOnlyList<FixtureRecord> Records { get; }

    public static IEnumerable<string> AllNames() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.json")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;

    public static Fixture Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));
        var root = document.RootElement;
        var records = new List<FixtureRecord>();
        foreach (var record in root.GetProperty("records").EnumerateArray())
        {
            records.Add(new FixtureRecord(
                record.GetProperty("description").GetString()!,
                Bytes(record.GetProperty("key")),
                Bytes(record.GetProperty("value"))));
        }

        return new Fixture(name, root.GetProperty("topic").GetString()!, records);
    }

    public IReadOnlyList<ChangeRecord> Decode(DebeziumJsonDecoder? decoder = null)
    {
        decoder ??= new DebeziumJsonDecoder();
        return Records.Select(r => decoder.Decode(Topic, r.Key, r.Value)).ToList();
    }

    private static byte[]? Bytes(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(element.GetRawText());
}
