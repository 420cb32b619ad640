using System.Globalization;
using System.Text;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Debezium 3.x PostgreSQL change events for <c>public.orders</c> as Kafka's JsonConverter writes them with
/// schemas disabled (the shape of the sink tests' <c>DebeziumText</c>, with more columns): <c>numeric(12,2)</c>
/// as its text (<c>decimal.handling.mode=string</c>, the connector's and the sink's default), <c>timestamptz</c> as an ISO-8601
/// string, every change its own transaction with <c>sequence = ["version*10", "version*10+1"]</c> unless it carries a
/// <see cref="OrderChange.Position"/> (then <c>sequence</c>, <c>lsn</c>, <c>txId</c> and <c>ts_ms</c> come from it).
/// Deletes carry a <c>before</c> image with only the key set (REPLICA IDENTITY DEFAULT); updates no <c>before</c>.
/// </summary>
public sealed class OrderEventJson
{
    public const string Schema = "public";
    public const string Table = "orders";

    /// <summary>2023-11-14T22:13:20Z: source commit times start here, one millisecond per version.</summary>
    public const long BaseTsMs = 1_700_000_000_000;

    private readonly StringBuilder _text = new(1024);

    public static byte[] Key(long id) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"id":{{id}}}"""));

    public byte[] Value(OrderChange change)
    {
        var t = _text.Clear();
        var row = change.Row;
        t.Append("{\"before\":");
        if (change.Op == 'd')
        {
            t.Append(CultureInfo.InvariantCulture, $"{{\"id\":{row.Id},\"status\":null,\"qty\":null,\"amount\":null,\"updated_at\":null,\"note\":null}}");
            t.Append(",\"after\":null");
        }
        else
        {
            t.Append("null,\"after\":");
            AppendRow(t, row);
        }

        var position = PositionOf(change);
        var tsMs = position.CommitTsMs;
        var commit = position.PreviousCommitLsn;
        var lsn = position.Lsn;
        var txId = position.TxId;
        var processedMs = ProcessedMs(change);
        t.Append(CultureInfo.InvariantCulture, $$"""
            ,"source":{"version":"3.0.7.Final","connector":"postgresql","name":"shop","ts_ms":{{tsMs}},"snapshot":"false","db":"shop","sequence":"[\"{{commit}}\",\"{{lsn}}\"]","ts_us":{{tsMs}}000,"ts_ns":{{tsMs}}000000,"schema":"{{Schema}}","table":"{{Table}}","txId":{{txId}},"lsn":{{lsn}},"xmin":null},"transaction":{{Transaction(change)}},"op":"{{change.Op}}","ts_ms":{{processedMs}},"ts_us":{{processedMs}}000,"ts_ns":{{processedMs}}000000}
            """);
        return Encoding.UTF8.GetBytes(t.ToString());
    }

    /// <summary>Where <paramref name="change"/> sits in the log: its own <see cref="OrderChange.Position"/>, or one
    /// transaction per version on the fixed clock.</summary>
    public static SourcePosition PositionOf(OrderChange change)
    {
        var version = change.Version;
        return change.Position ?? new SourcePosition(version, version * 10, (version * 10) + 1, BaseTsMs + version);
    }

    /// <summary>The connector's processing time (the envelope's <c>ts_ms</c>): a few ms after the commit for the
    /// fixed clock, the commit time itself when the caller gives real commit times (it produces at once).</summary>
    public static long ProcessedMs(OrderChange change) =>
        change.Position is null ? PositionOf(change).CommitTsMs + 3 : PositionOf(change).CommitTsMs;

    private static string Transaction(OrderChange change) =>
        change.Transaction is { } t
            ? string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{t.Id}}","total_order":{{t.TotalOrder}},"data_collection_order":{{t.TotalOrder}}}""")
            : "null";

    /// <summary><c>decimal.handling.mode=string</c>: the value as PostgreSQL prints a <c>numeric(12,2)</c>.</summary>
    public static string DecimalText(long unscaled) =>
        (unscaled / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Debezium's ZonedTimestamp text: ISO-8601 in UTC with the fraction Postgres stored.</summary>
    public static string IsoTimestamp(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void AppendRow(StringBuilder t, OrderRow row)
    {
        t.Append(CultureInfo.InvariantCulture, $"{{\"id\":{row.Id},\"status\":");
        JsonString(t, row.Status);
        t.Append(CultureInfo.InvariantCulture, $",\"qty\":{row.Qty},\"amount\":\"{DecimalText(row.AmountCents)}\",\"updated_at\":\"{IsoTimestamp(row.UpdatedAtMicros)}\",\"note\":");
        JsonString(t, row.Note);
        t.Append('}');
    }

    /// <summary>A JSON string as Jackson writes it: UTF-8 kept, quotes, backslashes and control characters escaped.</summary>
    private static void JsonString(StringBuilder t, string value)
    {
        t.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    t.Append("\\\"");
                    break;
                case '\\':
                    t.Append("\\\\");
                    break;
                case '\n':
                    t.Append("\\n");
                    break;
                case '\t':
                    t.Append("\\t");
                    break;
                case '\r':
                    t.Append("\\r");
                    break;
                case < ' ':
                    t.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    t.Append(c);
                    break;
            }
        }

        t.Append('"');
    }
}
