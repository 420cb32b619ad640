using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Json.Internal;

/// <summary>Reads the <c>source</c> block (io.debezium.connector.postgresql.Source); unknown fields are ignored.</summary>
internal static class SourceReader
{
    // In the order PostgresSourceInfoStructMaker writes them.
    private static readonly FieldMatcher Fields = new(
        "version", "connector", "name", "ts_ms", "snapshot", "db", "sequence", "ts_us", "ts_ns",
        "schema", "table", "txId", "lsn", "xmin", "origin", "origin_lsn");

    public static SourceInfo Read(JsonElement source)
    {
        if (source.ValueKind != JsonValueKind.Object)
        {
            throw Metadata.Wrong("source", "an object", source);
        }

        string? version = null, connector = null, name = null, db = null, sequence = null, schema = null, table = null, origin = null;
        long? tsMs = null, tsUs = null, tsNs = null, txId = null, lsn = null, xmin = null, originLsn = null;
        var snapshot = "false";
        var next = 0;
        foreach (var property in source.EnumerateObject())
        {
            var value = property.Value;
            try
            {
                switch (Fields.Match(property, ref next))
                {
                    case 0: version = Metadata.String(value, "version"); break;
                    case 1: connector = Metadata.String(value, "connector"); break;
                    case 2: name = Metadata.String(value, "name"); break;
                    case 3: tsMs = Metadata.Int64(value, "ts_ms"); break;
                    case 4: snapshot = Snapshot(value); break;
                    case 5: db = Metadata.String(value, "db"); break;
                    case 6: sequence = Metadata.String(value, "sequence"); break;
                    case 7: tsUs = Metadata.Int64(value, "ts_us"); break;
                    case 8: tsNs = Metadata.Int64(value, "ts_ns"); break;
                    case 9: schema = Metadata.String(value, "schema"); break;
                    case 10: table = Metadata.String(value, "table"); break;
                    case 11: txId = Metadata.Int64(value, "txId"); break;
                    case 12: lsn = Metadata.Int64(value, "lsn"); break;
                    case 13: xmin = Metadata.Int64(value, "xmin"); break;
                    case 14: origin = Metadata.String(value, "origin"); break;
                    case 15: originLsn = Metadata.Int64(value, "origin_lsn"); break;
                    default: break;
                }
            }
            catch (Connect.Internal.ValueDecodeError error)
            {
                error.PushField("source");
                throw;
            }
        }

        ChangeVersion? changeVersion;
        try
        {
            changeVersion = SourceSequence.ToChangeVersion(sequence, lsn);
        }
        catch (EventDecodeException error)
        {
            throw new Connect.Internal.ValueDecodeError(error.Message, error);
        }

        return new SourceInfo
        {
            Version = version,
            Connector = connector,
            Name = name,
            TsMs = tsMs,
            TsUs = tsUs,
            TsNs = tsNs,
            Snapshot = snapshot,
            Db = db,
            Sequence = sequence,
            Schema = schema,
            Table = table,
            TxId = txId,
            Lsn = lsn,
            Xmin = xmin,
            Origin = origin,
            OriginLsn = originLsn,
            ChangeVersion = changeVersion,
        };
    }

    // An io.debezium.data.Enum string; null (replace.null.with.default=false) means the default "false";
    // Debezium 1.x wrote a boolean.
    private static string Snapshot(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "false",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw Metadata.Wrong("snapshot", "a string", value),
        };
}
