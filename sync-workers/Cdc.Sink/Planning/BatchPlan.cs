using Cdc.Store.Mapping;
namespace Cdc.Sink.Planning;

/// <summary>What a batch of records comes to: per-table changes, progress per partition, and records to dead-letter.</summary>
internal sealed class BatchPlan
{
    public Dictionary<TableTarget, TableChanges> Tables { get; } = [];

    public Dictionary<(string Topic, int Partition), PartitionProgress> Progress { get; } = [];

    public List<RecordFailure> Failures { get; } = [];

    /// <summary>DDL needed first; when not empty the plan is incomplete and is made again after the DDL.</summary>
    public List<SchemaChange> SchemaChanges { get; } = [];

    /// <summary>Commit times (ms) of applied events, for the end-to-end latency histogram.</summary>
    public List<long> SourceTimestamps { get; } = [];

    public int Skipped { get; set; }

    /// <summary>Transaction events this batch finishes with (applied, skipped or dead-lettered), stored with its rows.</summary>
    public List<Cdc.Store.Transactions.TransactionEvent> TransactionEvents { get; } = [];
}
