using Cdc.Sink.Configuration;

namespace Cdc.Cli.Demo;

/// <summary>How one subsystem maps the orders topic onto its own <c>public.orders</c>.</summary>
internal sealed record SubsystemMapping(string Name, IReadOnlyList<string> Excluded, DeleteMode DeleteMode)
{
    public const string Table = "orders";

    /// <summary>Risk keeps every column and deletes rows (with the sink's guarded tombstones).</summary>
    public static SubsystemMapping Risk { get; } = new("risk", [], DeleteMode.Hard);

    /// <summary>Analytics leaves out the free-text note and keeps deleted rows, flagged <c>_cdc_deleted</c>.</summary>
    public static SubsystemMapping Analytics { get; } = new("analytics", ["note"], DeleteMode.Soft);

    public bool HasNote => !Excluded.Contains("note");

    public bool Soft => DeleteMode == DeleteMode.Soft;

    public string Description =>
        (Excluded.Count == 0 ? "all columns" : $"without {string.Join(", ", Excluded)}")
        + (Soft ? ", soft deletes (_cdc_deleted = true)" : ", hard deletes");

    /// <summary>The sink's table rule for <paramref name="topic"/>.</summary>
    public TableMappingOptions For(string topic) => new()
    {
        Topic = topic,
        Table = Table,
        Exclude = [.. Excluded],
        DeleteMode = DeleteMode,
    };
}
