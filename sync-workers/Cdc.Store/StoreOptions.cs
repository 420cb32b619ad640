using Cdc.Store.Mapping;

namespace Cdc.Store;

/// <summary>
/// What a sink's configuration says about its store: where the sink keeps its own tables and how topics map onto
/// target tables. The sink's options extend it; the reconciler reads the same settings from the sink's file.
/// </summary>
public class StoreOptions
{
    /// <summary>Schema of the sink's own tables (offsets, tombstones, truncations) and the reconciler's audit tables.</summary>
    public string MetadataSchema { get; set; } = "cdc";

    /// <summary>Schema of target tables when a mapping names none.</summary>
    public string TargetSchema { get; set; } = "public";

    /// <summary>Settings for topics no rule matches.</summary>
    public TableMappingOptions Defaults { get; set; } = new();

    public List<TableMappingOptions> Tables { get; set; } = [];
}
