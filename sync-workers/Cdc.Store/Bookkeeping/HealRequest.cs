namespace Cdc.Store.Bookkeeping;

/// <summary>One row of the store's <c>heals</c> table (<see cref="HealRequests"/>).</summary>
public sealed record HealRequest(long Id, string Group, string Topic, int Partition, string TopicPrefix, string SourceTable, string Reason, long FromOffset, long? ToOffset);
