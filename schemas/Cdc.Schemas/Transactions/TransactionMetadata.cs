using System.Globalization;
using System.Text.Json;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect.Internal.Text;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Transactions;

/// <summary>
/// A BEGIN or END record of Debezium's transaction topic (<c>provide.transaction.metadata</c>), as its PostgreSQL
/// connector writes it: <c>id</c> is <c>"txId:LSN"</c> with the LSN of the record's own position (BEGIN: the
/// transaction's first LSN, END: its commit's end LSN; PostgresTransactionMonitor), END carries the transaction's
/// <c>event_count</c> and per-table counts in <c>data_collections</c> (in a Java HashMap's order), <c>ts_ms</c> is the
/// commit time.
/// </summary>
public sealed record TransactionMetadata(TransactionStatus Status, string Id, long? EventCount, IReadOnlyList<DataCollectionCount>? DataCollections, long TsMs)
{
    /// <summary>The header of a heartbeat record that carries the idle position (the .NET connector's; decimal LSN).</summary>
    public const string HeartbeatLsnHeader = "cdc.lsn";

    public static TransactionMetadata Begin(long xid, long lsn, long tsMs) => new(TransactionStatus.Begin, FormatId(xid, lsn), null, null, tsMs);

    /// <param name="perTable">Each table's event count, in the order the tables first had an event.</param>
    public static TransactionMetadata End(long xid, long commitLsn, long tsMs, List<(string Table, long Count)> perTable)
    {
        ArgumentNullException.ThrowIfNull(perTable);
        var counts = perTable.ToDictionary(p => p.Table, p => p.Count, StringComparer.Ordinal);
        var ordered = JavaHashMapOrder.Of([.. perTable.Select(p => (p.Table, (string?)null))])
            .Select(e => new DataCollectionCount(e.Key, counts[e.Key]))
            .ToList();
        return new(TransactionStatus.End, FormatId(xid, commitLsn), perTable.Sum(p => p.Count), ordered, tsMs);
    }

    /// <summary>The source transaction id (PostgreSQL's xid), the part before the colon.</summary>
    public long Xid => ParseId(Id).Xid;

    /// <summary>The LSN after the colon: BEGIN's first LSN, END's commit LSN.</summary>
    public long Lsn => ParseId(Id).Lsn;

    public static string FormatId(long xid, long lsn) => string.Create(CultureInfo.InvariantCulture, $"{xid}:{lsn}");

    /// <exception cref="EventDecodeException">Not <c>"txId:LSN"</c>.</exception>
    public static (long Xid, long Lsn) ParseId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && long.TryParse(id.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var xid)
            && long.TryParse(id.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var lsn))
        {
            return (xid, lsn);
        }

        throw new EventDecodeException($"transaction id '{id}' is not \"txId:LSN\" (Debezium's PostgreSQL connector)");
    }

    public static RowImage KeyRow(string id) =>
        new([new Column("id", id, DebeziumConnectSchemas.TransactionKey.Fields[0].Schema)]);

    public RowImage ToRow()
    {
        var fields = DebeziumConnectSchemas.TransactionValue.Fields;
        object? collections = DataCollections?.Select(c => (object?)new RowImage(
        [
            new Column("data_collection", c.DataCollection, DebeziumConnectSchemas.DataCollectionCount.Fields[0].Schema),
            new Column("event_count", c.EventCount, DebeziumConnectSchemas.DataCollectionCount.Fields[1].Schema),
        ])).ToArray();
        return new RowImage(
        [
            new Column("status", Status == TransactionStatus.Begin ? "BEGIN" : "END", fields[0].Schema),
            new Column("id", Id, fields[1].Schema),
            new Column("event_count", EventCount, fields[2].Schema),
            new Column("data_collections", collections, fields[3].Schema),
            new Column("ts_ms", TsMs, fields[4].Schema),
        ]);
    }

    /// <summary>Reads a decoded value struct (typed, or raw JSON from a message without schema).</summary>
    /// <exception cref="EventDecodeException">Not a BEGIN or END record.</exception>
    public static TransactionMetadata FromRow(RowImage row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.IsSchemaless)
        {
            row = row.WithSchema(DebeziumConnectSchemas.TransactionValue);
        }

        var status = Text(row, "status") switch
        {
            "BEGIN" => TransactionStatus.Begin,
            "END" => TransactionStatus.End,
            var other => throw new EventDecodeException($"transaction record status '{other}' is neither BEGIN nor END"),
        };
        var id = Text(row, "id") ?? throw new EventDecodeException("transaction record without id");
        _ = ParseId(id);
        List<DataCollectionCount>? collections = null;
        if (row.TryGet("data_collections", out var c) && c.Value is System.Collections.IEnumerable items and not string)
        {
            collections = [];
            foreach (var item in items)
            {
                if (item is RowImage entry)
                {
                    collections.Add(new DataCollectionCount(Text(entry, "data_collection") ?? "", Number(entry, "event_count") ?? 0));
                }
            }
        }

        return new TransactionMetadata(status, id, Number(row, "event_count"), collections, Number(row, "ts_ms") ?? 0);
    }

    private static string? Text(RowImage row, string name) =>
        row.TryGet(name, out var c) ? c.Value switch { string s => s, JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(), _ => null } : null;

    private static long? Number(RowImage row, string name) =>
        row.TryGet(name, out var c) ? c.Value switch { long l => l, int i => i, JsonElement { ValueKind: JsonValueKind.Number } e => e.GetInt64(), _ => null } : null;
}
