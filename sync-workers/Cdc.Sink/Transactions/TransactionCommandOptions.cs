namespace Cdc.Sink.Transactions;

/// <summary>What <c>cdc txn</c> and <c>cdc wait</c> are told: the subsystems' stores (name = the sink's consumer group) and what to ask.</summary>
public sealed class TransactionCommandOptions
{
    /// <summary>Each subsystem's store: name (its sink's consumer group) to Npgsql connection string.</summary>
    public Dictionary<string, string> Stores { get; set; } = [];

    /// <summary>The sinks' metadata schema in the stores.</summary>
    public string MetadataSchema { get; set; } = "cdc";

    /// <summary><c>cdc txn</c>: the transaction (<see cref="TransactionQuery"/>).</summary>
    public string? Id { get; set; }

    /// <summary><c>cdc wait</c>: the LSN every transaction at or below which must be finished with.</summary>
    public string? Lsn { get; set; }

    /// <summary><c>cdc wait</c>: only these subsystems (default: every store given).</summary>
    public List<string> Subsystems { get; set; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Json { get; set; }
}
