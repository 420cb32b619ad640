namespace Cdc.Schemas.Transactions;

/// <summary>One entry of an END record's <c>data_collections</c>: a table (<c>schema.table</c>) and its events in the transaction.</summary>
public sealed record DataCollectionCount(string DataCollection, long EventCount);
