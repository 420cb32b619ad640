namespace Cdc.Reconciler.Compare;

/// <summary>Row count and XOR of the rows' 64-bit hashes over one key range on one side.</summary>
public readonly record struct RangeHash(long Count, long Hash)
{
    public static readonly RangeHash Empty = new(0, 0);
}
