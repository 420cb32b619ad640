namespace Cdc.Store.Bookkeeping;

/// <summary>A partition's next offset as stored with the rows, and the topic id (incarnation) it counts in.</summary>
public sealed record StoredPosition(long NextOffset, string? TopicId);
