namespace Cdc.Reconciler.Compare;

/// <summary>A store row's version as the sink wrote it: <c>source.sequence</c> (commit LSN, event LSN); either may be NULL.</summary>
public sealed record RowVersion(long? Commit, long? Event);
