namespace Cdc.Schemas.Model;

/// <summary>
/// A decoded Kafka record: its key (null for tables without a primary key, truncates and messages)
/// and its event, which is null for a Kafka tombstone (null value) that follows a delete.
/// </summary>
public sealed record ChangeRecord(RowImage? Key, ChangeEvent? Event)
{
    public bool IsTombstone => Event is null;
}
