namespace Cdc.Store.Writes;

public enum ChangeKind
{
    /// <summary>Insert or update by key, guarded by version.</summary>
    Upsert,
    /// <summary>Delete by key, guarded by version, leaving a tombstone (or a soft-delete flag).</summary>
    Delete,
    /// <summary>Insert into a table without a key (Debezium sends a null key); order and count are kept.</summary>
    Append,
}
