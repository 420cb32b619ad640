using Cdc.Schemas.Connect;
using AvroType = global::Avro.Schema.Type;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// One Avro writer schema node compiled for reading: its wire kind, the union branches (for <c>[null, X]</c>),
/// children, and the Connect schema it means (as Confluent's AvroData turns Avro back into Connect).
/// </summary>
internal sealed record AvroNode
{
    /// <summary>The wire kind of the non-null branch (Null for a union of only null).</summary>
    public required AvroType Kind { get; init; }

    public required ConnectSchema Connect { get; init; }

    /// <summary>Number of union branches; 0 when the node is not a union.</summary>
    public int BranchCount { get; init; }

    public int NullBranch { get; init; } = -1;

    public int ValueBranch { get; init; }

    /// <summary>Record fields, in writer order.</summary>
    public IReadOnlyList<(string Name, AvroNode Node)> Fields { get; init; } = [];

    /// <summary>Array items, or map values.</summary>
    public AvroNode? Items { get; init; }

    /// <summary>An array of <c>MapEntry</c> records (key, value): Connect's map with non-string keys.</summary>
    public bool IsMapEntries { get; init; }

    public IReadOnlyList<string> Symbols { get; init; } = [];

    public int FixedSize { get; init; }

    /// <summary>The strings this node reads, reused while they repeat (state of the reader, not part of the schema).</summary>
    public StringReuse Strings { get; } = new();
}
