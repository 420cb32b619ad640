namespace Cdc.Store.Mapping;

public enum DeleteMode
{
    /// <summary>Delete the row and keep a guarded tombstone so an older create cannot resurrect it.</summary>
    Hard,
    /// <summary>Keep the row and set <c>_cdc_deleted = true</c>.</summary>
    Soft,
}
