namespace Cdc.Store.Bookkeeping;

/// <summary>
/// Records a sink never read: offsets <see cref="FromOffset"/>..<see cref="ToOffset"/> of a partition (the end unknown
/// when the topic was recreated), and why (<see cref="Reason"/>).
/// </summary>
public sealed record StreamGap(string Topic, int Partition, string? TopicId, long FromOffset, long? ToOffset, string Reason)
{
    /// <summary>The partition's log start passed the stored offset (retention, or records deleted).</summary>
    public const string LogStartPassed = "log-start-passed";

    /// <summary>The topic is a new incarnation (another topic id): everything after the stored offset is gone.</summary>
    public const string TopicRecreated = "topic-recreated";

    /// <summary>The partition's offsets went back below the stored offset (a recreated topic seen without topic ids).</summary>
    public const string OffsetsWentBack = "offsets-went-back";

    /// <summary>
    /// Not a gap: the sink retyped a column for a connector that does not re-read the table by itself after a schema
    /// change (Debezium), and asks for the table's re-snapshot through the same heal path. No records lost.
    /// </summary>
    public const string SchemaChanged = "schema-change";

    /// <summary>Records known to be lost, null when the count is unknown (a recreated topic).</summary>
    public long? RecordsLost => ToOffset is { } to ? to - FromOffset + 1 : null;

    /// <summary>The offsets missing, for logs: <c>[from, to]</c> or <c>[from, ?]</c>.</summary>
    public string Range => $"[{FromOffset}, {(ToOffset is { } to ? to.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")}]";

    /// <summary>The source connector's topic prefix and the primary's table behind <paramref name="topic"/> (<c>prefix.schema.table</c>).</summary>
    public static (string Prefix, string Table)? SourceOf(string topic)
    {
        var parts = topic.Split('.');
        return parts.Length < 3 ? null : (string.Join('.', parts[..^2]), $"{parts[^2]}.{parts[^1]}");
    }
}
