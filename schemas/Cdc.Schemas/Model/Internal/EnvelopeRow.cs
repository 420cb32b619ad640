using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Model.Internal;

/// <summary>
/// A <see cref="ChangeEvent"/> as the envelope struct its Connect schema describes (fields matched by name), for the
/// encoders: Envelope (before, after, source, transaction, op, ts_ms, ts_us, ts_ns) or MessageValue (op, ts_ms, source, message).
/// </summary>
internal static class EnvelopeRow
{
    public static RowImage ToRow(ChangeEvent change, ConnectSchema envelope)
    {
        var fields = envelope.Fields;
        var columns = new Column[fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var field = fields[i];
            var value = field.Name == "source" ? Source(change.Source, field.Schema) : Value(change, field.Name);
            columns[i] = new Column(field.Name, value, field.Schema);
        }

        return new RowImage(columns, owned: true);
    }

    /// <summary>The value of the envelope's field <paramref name="name"/>, other than <c>source</c> (<see cref="SourceValue"/>).</summary>
    public static object? Value(ChangeEvent change, string name) => name switch
    {
        "before" => change.Before,
        "after" => change.After,
        "transaction" => change.Transaction is { } t ? Transaction(t) : null,
        "op" => change.Operation.Code(),
        "ts_ms" => change.TsMs,
        "ts_us" => change.TsUs,
        "ts_ns" => change.TsNs,
        "message" => change.Message is { } m ? new RowImage([new Column("prefix", m.Prefix, null), new Column("content", m.Content, null)]) : null,
        _ => null,
    };

    /// <summary>The value of the <c>source</c> block's field <paramref name="name"/>.</summary>
    public static object? SourceValue(SourceInfo source, string name) => name switch
    {
        "version" => source.Version,
        "connector" => source.Connector,
        "name" => source.Name,
        "ts_ms" => source.TsMs,
        "snapshot" => source.Snapshot,
        "db" => source.Db,
        "sequence" => source.Sequence,
        "ts_us" => source.TsUs,
        "ts_ns" => source.TsNs,
        "schema" => source.Schema,
        "table" => source.Table,
        "txId" => source.TxId,
        "lsn" => source.Lsn,
        "xmin" => source.Xmin,
        "origin" => source.Origin,
        "origin_lsn" => source.OriginLsn,
        _ => null,
    };

    private static RowImage Source(SourceInfo source, ConnectSchema schema)
    {
        var fields = schema.Fields;
        var columns = new Column[fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new Column(fields[i].Name, SourceValue(source, fields[i].Name), fields[i].Schema);
        }

        return new RowImage(columns, owned: true);
    }

    private static RowImage Transaction(TransactionBlock transaction) =>
        new([
            new Column("id", transaction.Id, null),
            new Column("total_order", transaction.TotalOrder, null),
            new Column("data_collection_order", transaction.DataCollectionOrder, null),
        ]);
}
