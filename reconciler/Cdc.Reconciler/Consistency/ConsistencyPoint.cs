namespace Cdc.Reconciler.Consistency;

/// <summary>The outcome of waiting for the store to catch up with the primary's LSN at check start.</summary>
/// <param name="Lsn">The primary's WAL insert position at start (<see cref="ConsistencyWaiter.PositionAsync"/>), as a number.</param>
/// <param name="Reached">The store has applied everything up to <see cref="Lsn"/> (as far as the mode can tell).</param>
/// <param name="Detail">How it was decided, or by how much the pipeline lags.</param>
public sealed record ConsistencyPoint(long Lsn, bool Reached, string Detail)
{
    public static string FormatLsn(long lsn) => Cdc.Common.Postgres.PgLsn.Format(lsn);
}
