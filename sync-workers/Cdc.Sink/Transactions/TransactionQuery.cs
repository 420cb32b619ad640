using System.Globalization;
using Cdc.Common.Postgres;

namespace Cdc.Sink.Transactions;

/// <summary>
/// What <c>cdc txn</c> and <c>/transactions/{id}</c> look for: Debezium's id <c>txId:LSN</c> or a bare
/// <c>txId</c> (PostgreSQL's xid), or an LSN in PostgreSQL's form <c>16/B374D848</c> (as <c>pg_current_wal_lsn()</c> prints it).
/// </summary>
public sealed record TransactionQuery(long? Xid, long? Lsn)
{
    public static bool TryParse(string? text, out TransactionQuery query)
    {
        query = new TransactionQuery(null, null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            if (PgLsn.TryParse(text, out var lsn))
            {
                query = new TransactionQuery(null, lsn);
                return true;
            }

            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var xidText = colon < 0 ? text : text[..colon];
        if (long.TryParse(xidText, NumberStyles.None, CultureInfo.InvariantCulture, out var xid)
            && (colon < 0 || long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            query = new TransactionQuery(xid, null);
            return true;
        }

        return false;
    }

    public const string Expected = "a transaction id (txId or Debezium's txId:LSN) or an LSN such as 0/1A2B3C4";
}
