namespace Cdc.Schemas.Model;

/// <summary>The <c>source</c> block of a Debezium PostgreSQL change event.</summary>
public sealed record SourceInfo
{
    public string? Version { get; init; }

    /// <summary>
    /// The .NET connector's <see cref="Version"/> ends with this (its format is Debezium's). It re-snapshots a table
    /// itself after a schema change; for any other connector the sink asks (docs/design.md#schema-changes).
    /// </summary>
    public const string CdcConnectorSuffix = "-cdc";

    /// <summary>Sent by the .NET connector, which re-reads a table after its schema changed without being asked.</summary>
    public bool ResnapshotsOnSchemaChange => Version?.EndsWith(CdcConnectorSuffix, StringComparison.Ordinal) == true;
    public string? Connector { get; init; }
    public string? Name { get; init; }
    /// <summary>Commit time in the source database.</summary>
    public long? TsMs { get; init; }
    public long? TsUs { get; init; }
    public long? TsNs { get; init; }
    /// <summary>Debezium's snapshot marker as a string; a missing or null field decodes as <c>"false"</c>.</summary>
    public string Snapshot { get; init; } = "false";
    public string? Db { get; init; }
    /// <summary>The raw <c>sequence</c> string, <c>["lastCommitLsn","eventLsn"]</c>.</summary>
    public string? Sequence { get; init; }
    public string? Schema { get; init; }
    public string? Table { get; init; }
    public long? TxId { get; init; }
    public long? Lsn { get; init; }
    public long? Xmin { get; init; }
    public string? Origin { get; init; }
    public long? OriginLsn { get; init; }

    /// <summary>
    /// The change's place in commit order, from <see cref="Sequence"/> (falling back to <c>(0, lsn)</c>);
    /// null when the event carries neither a sequence element nor an LSN (see <see cref="SourceSequence"/>).
    /// Incremental-snapshot reads have null <see cref="Lsn"/>/<see cref="TxId"/>/<see cref="Xmin"/> (DBZ-4329), but
    /// Debezium still writes their <see cref="Sequence"/> (the streaming position when the chunk was emitted),
    /// so they usually do have a version: use <see cref="IsIncrementalSnapshot"/> to treat them differently.
    /// </summary>
    public ChangeVersion? ChangeVersion { get; init; }

    public bool IsIncrementalSnapshot => Snapshot == "incremental";
}
