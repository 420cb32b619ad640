using Cdc.Schemas.Model;
using Cdc.Store.Writes;

namespace Cdc.Sink.Planning;

/// <summary>The net effect of a batch's events on one row of a target table.</summary>
internal sealed class RowChange
{
    public required ChangeKind Kind { get; set; }

    /// <summary>Canonical text of the key's values: the row's identity in the tombstone table.</summary>
    public required string RowKey { get; init; }

    /// <summary>Null when the winning event carried no LSN (an incremental-snapshot read).</summary>
    public ChangeVersion? Version { get; set; }

    /// <summary>Target column → value. Unchanged TOAST columns are absent, so the stored value stays.</summary>
    public required Dictionary<string, object?> Values { get; set; }
}
