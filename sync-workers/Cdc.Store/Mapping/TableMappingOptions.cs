namespace Cdc.Store.Mapping;

/// <summary>
/// How one topic (or every topic matching <see cref="TopicPattern"/>) maps onto a target table.
/// The first rule that matches a topic wins; topics no rule matches use <see cref="StoreOptions.Defaults"/>.
/// </summary>
public sealed class TableMappingOptions
{
    /// <summary>Exact topic name this rule applies to.</summary>
    public string? Topic { get; set; }

    /// <summary>Regex (whole topic name) this rule applies to.</summary>
    public string? TopicPattern { get; set; }

    /// <summary>Target schema; default <see cref="StoreOptions.TargetSchema"/>.</summary>
    public string? Schema { get; set; }

    /// <summary>Target table; default: the source table name (<c>source.table</c>).</summary>
    public string? Table { get; set; }

    /// <summary>Only these source columns are written (key columns always are).</summary>
    public List<string> Include { get; set; } = [];

    /// <summary>These source columns are never written (key columns cannot be excluded).</summary>
    public List<string> Exclude { get; set; } = [];

    /// <summary>Source column name → target column name.</summary>
    public Dictionary<string, string> Rename { get; set; } = [];

    public DeleteMode? DeleteMode { get; set; }

    public TruncateMode? Truncate { get; set; }

    /// <summary>Create the target table from the event's schema when it does not exist.</summary>
    public bool? AutoCreate { get; set; }

    /// <summary>Add columns the events carry and the table lacks. Columns are never dropped or retyped.</summary>
    public bool? AutoEvolve { get; set; }
}
