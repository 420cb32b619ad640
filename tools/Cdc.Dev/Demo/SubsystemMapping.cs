using Cdc.Store.Mapping;

namespace Cdc.Dev.Demo;

/// <summary>How one subsystem maps the captured tables into its own store (the sink's table rules).</summary>
internal sealed record SubsystemMapping(string Name, IReadOnlyList<string> ExcludedOrderColumns, DeleteMode DeleteMode)
{
    /// <summary>Risk keeps every table and column and deletes rows (with the sink's guarded tombstones).</summary>
    public static SubsystemMapping Risk { get; } = new("risk", [], DeleteMode.Hard);

    /// <summary>Analytics leaves out the orders' free-text note and keeps deleted rows, flagged <c>_cdc_deleted</c>.</summary>
    public static SubsystemMapping Analytics { get; } = new("analytics", ["note"], DeleteMode.Soft);

    public bool Soft => DeleteMode == DeleteMode.Soft;

    public string Description =>
        (ExcludedOrderColumns.Count == 0 ? "every table and column" : $"every table, orders without {string.Join(", ", ExcludedOrderColumns)}")
        + (Soft ? ", soft deletes (_cdc_deleted = true)" : ", hard deletes");

    /// <summary>The sink's rules: tables created from the events' schemas, orders without the excluded columns.</summary>
    public (TableMappingOptions Defaults, List<TableMappingOptions> Tables) Rules(string ordersTopic) =>
        (new TableMappingOptions { DeleteMode = DeleteMode, AutoCreate = true, AutoEvolve = true },
         [new TableMappingOptions { Topic = ordersTopic, Exclude = [.. ExcludedOrderColumns] }]);
}
