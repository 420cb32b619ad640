using Cdc.Common.Postgres;
using Cdc.Sink.Store;

namespace Cdc.Reconciler.Compare;

/// <summary>The sink's version columns, quoted.</summary>
internal static class SinkColumnsText
{
    public static readonly string Commit = PgIdentifier.Quote(SinkColumns.CommitLsn);

    public static readonly string Event = PgIdentifier.Quote(SinkColumns.EventLsn);

    public static readonly string Deleted = PgIdentifier.Quote(SinkColumns.Deleted);
}
