using System.Text.Json;

namespace Cdc.Capture.Signals;

/// <summary>
/// An <c>execute-snapshot</c> signal's data: <c>{"data-collections":["s.t"],"type":"incremental",
/// "additional-conditions":[{"data-collection":"s.t","filter":"id in (1,2,3)"}]}</c>.
/// </summary>
internal sealed record SnapshotRequest(string Id, IReadOnlyList<string> DataCollections, IReadOnlyDictionary<string, string> Filters)
{
    /// <exception cref="FormatException">Not such a document, or a snapshot type other than incremental.</exception>
    public static SnapshotRequest Parse(string id, string? data)
    {
        if (string.IsNullOrWhiteSpace(data))
        {
            throw new FormatException("execute-snapshot without data");
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.TryGetProperty("type", out var type) && !string.Equals(type.GetString(), "incremental", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"snapshot type '{type.GetString()}' is not supported (only incremental)");
            }

            if (!root.TryGetProperty("data-collections", out var collections) || collections.ValueKind != JsonValueKind.Array || collections.GetArrayLength() == 0)
            {
                throw new FormatException("execute-snapshot needs a non-empty data-collections array");
            }

            var filters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("additional-conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
            {
                foreach (var condition in conditions.EnumerateArray())
                {
                    var collection = condition.GetProperty("data-collection").GetString() ?? throw new FormatException("additional-conditions entry without data-collection");
                    if (condition.TryGetProperty("filter", out var filter) && filter.GetString() is { Length: > 0 } text)
                    {
                        filters[collection] = text;
                    }
                }
            }

            return new SnapshotRequest(id, [.. collections.EnumerateArray().Select(c => c.GetString() ?? throw new FormatException("a data-collection is null"))], filters);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"execute-snapshot data is not valid: {e.Message}", e);
        }
    }
}
