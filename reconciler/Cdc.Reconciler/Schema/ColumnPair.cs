using Cdc.Store.Catalog;

namespace Cdc.Reconciler.Schema;

/// <summary>One compared column: its catalog entry on each side and the canonical texts that render equal values as equal text.</summary>
internal sealed record ColumnPair(TableColumn Primary, TableColumn Store, SideText PrimaryText, SideText StoreText, bool IsKey)
{
    public TableColumn Column(bool primary) => primary ? Primary : Store;

    public SideText Text(bool primary) => primary ? PrimaryText : StoreText;
}
