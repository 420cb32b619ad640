namespace Cdc.Schemas.Connect;

/// <summary>
/// A Kafka Connect schema: a type, an optional logical name (<c>io.debezium.time.MicroTimestamp</c>,
/// <c>org.apache.kafka.connect.data.Decimal</c>, ...) with its parameters, and children for structs,
/// arrays and maps.
/// </summary>
public sealed record ConnectSchema
{
    public required ConnectType Type { get; init; }
    public string? Name { get; init; }
    public bool Optional { get; init; } = true;
    public int? Version { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = EmptyParameters;
    public IReadOnlyList<ConnectField> Fields { get; init; } = [];
    public ConnectSchema? Items { get; init; }
    public ConnectSchema? Keys { get; init; }
    public ConnectSchema? Values { get; init; }

    /// <summary>The schema's <c>default</c>, converted like a value (see <see cref="ConnectValue"/>); null when none.</summary>
    public object? DefaultValue { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyParameters = new Dictionary<string, string>();

    internal static IReadOnlyDictionary<string, string> NoParameters => EmptyParameters;

    public ConnectField? FindField(string name)
    {
        foreach (var field in Fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }

    public string? Parameter(string key) => Parameters.TryGetValue(key, out var value) ? value : null;
}
