namespace Cdc.Reconciler.Schema;

/// <summary>How a table's rows are split into ranges that hold the same rows on both sides.</summary>
internal enum KeyOrder
{
    /// <summary>One integer key: ranges by arithmetic, hashed per bucket in one pass.</summary>
    Integer,

    /// <summary>Keys whose order is the same on both servers (same non-collatable types): ranges in key order, bisected.</summary>
    Range,

    /// <summary>
    /// Keys whose order may differ between the servers (text under two collations, an enum kept as text, other types on
    /// each side): rows are grouped by a hash of the key's canonical text instead, which both sides compute alike.
    /// </summary>
    Hashed,
}
