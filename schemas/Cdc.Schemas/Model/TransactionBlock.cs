namespace Cdc.Schemas.Model;

/// <summary>The envelope's <c>transaction</c> block (present with <c>provide.transaction.metadata=true</c>).</summary>
public sealed record TransactionBlock(string Id, long TotalOrder, long DataCollectionOrder);
