namespace Cdc.Schemas.Model;

/// <summary>
/// The position of a change in the source's commit order: <c>source.sequence</c> = <c>[lastCommitLsn, eventLsn]</c>.
/// Per-event LSNs interleave across concurrent transactions, so only the pair, compared lexicographically, orders
/// changes across rows (<see cref="CompareTo"/>); one row's changes are ordered by <see cref="IsNewerThan"/>
/// (docs/design.md#change-order-comes-from-the-sequence-not-the-lsn). A <see cref="CommitLsn"/> of 0 means the event
/// carried no <c>sequence[0]</c> (no sequence at all, or Debezium's first transaction after a start).
/// </summary>
public readonly record struct ChangeVersion(long CommitLsn, long EventLsn) : IComparable<ChangeVersion>
{
    public int CompareTo(ChangeVersion other)
    {
        var byCommit = CommitLsn.CompareTo(other.CommitLsn);
        return byCommit != 0 ? byCommit : EventLsn.CompareTo(other.EventLsn);
    }

    /// <summary>
    /// Whether this change of a row comes after <paramref name="other"/>, a change of the same row: by the pair when
    /// both carry a commit LSN, by the event LSN alone when either lacks one. Sound for one row because a row lock
    /// orders its writers: a change to a row is written to the WAL only after the previous change's transaction
    /// ended, so one row's event LSNs grow in commit order (a table lock orders a truncate the same way).
    /// </summary>
    public bool IsNewerThan(ChangeVersion other) =>
        CommitLsn == 0 || other.CommitLsn == 0 ? EventLsn > other.EventLsn : CompareTo(other) > 0;

    public static bool operator <(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) < 0;
    public static bool operator >(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) > 0;
    public static bool operator <=(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ChangeVersion left, ChangeVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{CommitLsn}/{EventLsn}";
}
