namespace Cdc.Schemas.Model;

/// <summary>
/// The position of a change in the source's commit order: <c>source.sequence</c> = <c>[lastCommitLsn, eventLsn]</c>.
/// Per-event LSNs interleave across concurrent transactions, so only the pair, compared lexicographically, orders
/// changes (docs/design.md#change-order-comes-from-the-sequence-not-the-lsn).
/// </summary>
public readonly record struct ChangeVersion(long CommitLsn, long EventLsn) : IComparable<ChangeVersion>
{
    public int CompareTo(ChangeVersion other)
    {
        var byCommit = CommitLsn.CompareTo(other.CommitLsn);
        return byCommit != 0 ? byCommit : EventLsn.CompareTo(other.EventLsn);
    }

    public static bool operator <(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) < 0;
    public static bool operator >(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) > 0;
    public static bool operator <=(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{CommitLsn}/{EventLsn}";
}
