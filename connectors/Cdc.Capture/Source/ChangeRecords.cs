using System.Globalization;
using Cdc.Schemas.Model;

namespace Cdc.Capture.Source;

/// <summary>
/// Builds Debezium's records for a table: the envelope (<c>before</c>, <c>after</c>, <c>source</c>, <c>op</c>,
/// <c>ts_*</c>) and the key struct, from column values already in their Connect form.
/// </summary>
internal sealed class ChangeRecords(string topicPrefix, string database, TimeProvider time)
{
    /// <summary>Debezium's <c>source.version</c> field; this connector identifies itself, the format is Debezium 3.x's.</summary>
    public const string ConnectorVersion = "3.0.0.Final" + SourceInfo.CdcConnectorSuffix;

    public RowImage Row(TableShape shape, object?[] values)
    {
        var columns = new Column[shape.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var c = shape.Columns[i];
            columns[i] = new Column(c.Name, values[i] ?? (c.Schema.Optional ? null : RequiredFallback.For(c.Schema)), c.Schema);
        }

        return new RowImage(columns);
    }

    /// <summary>The key struct of a row, or null when the table has no key.</summary>
    public static RowImage? Key(TableShape shape, object?[] values)
    {
        if (shape.KeySchema is null)
        {
            return null;
        }

        var fields = shape.KeySchema.Fields;
        var columns = new Column[shape.KeyIndexes.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new Column(fields[i].Name, values[shape.KeyIndexes[i]], fields[i].Schema);
        }

        return new RowImage(columns);
    }

    /// <summary>True when both rows have equal key values (a change that keeps the key is not a key change).</summary>
    public static bool SameKey(TableShape shape, object?[] a, object?[] b)
    {
        foreach (var i in shape.KeyIndexes)
        {
            if (!ValueEquality.Equal(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="transaction">The event's <c>transaction</c> block, or null without transaction metadata.</param>
    public ChangeEvent Event(TableShape shape, ChangeOperation op, RowImage? before, RowImage? after, in SourcePosition position, TransactionBlock? transaction = null)
    {
        var nowNs = NowNanos();
        var commitUs = position.CommitTime.ToUnixTimeMilliseconds() * 1000 + (position.CommitTime.Ticks % TimeSpan.TicksPerMillisecond / 10);
        return new ChangeEvent
        {
            Operation = op,
            Before = before,
            After = after,
            Source = new SourceInfo
            {
                Version = ConnectorVersion,
                Connector = "postgresql",
                Name = topicPrefix,
                TsMs = commitUs / 1000,
                TsUs = commitUs,
                TsNs = commitUs * 1000,
                Snapshot = position.Snapshot,
                Db = database,
                Sequence = Sequence(position.LastCommitLsn, position.Lsn),
                Schema = shape.Schema,
                Table = shape.Table,
                TxId = position.TxId,
                Lsn = position.Lsn,
            },
            TsMs = nowNs / 1_000_000,
            TsUs = nowNs / 1_000,
            TsNs = nowNs,
            Transaction = transaction,
        };
    }

    /// <summary>Debezium's <c>["lastCommitLsn","eventLsn"]</c>, each element a decimal string or null.</summary>
    public static string Sequence(long? lastCommitLsn, long? lsn) => (lastCommitLsn, lsn) is ({ } last, { } current)
        ? string.Create(CultureInfo.InvariantCulture, $"[\"{last}\",\"{current}\"]")
        : string.Create(CultureInfo.InvariantCulture, $"[{Element(lastCommitLsn)},{Element(lsn)}]");

    private static string Element(long? lsn) => lsn is { } v ? string.Create(CultureInfo.InvariantCulture, $"\"{v}\"") : "null";

    private long NowNanos() => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
