using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Json.Internal;

/// <summary>Reads the <c>source</c> block (io.debezium.connector.postgresql.Source); unknown fields are ignored.</summary>
internal static class SourceReader
{
    public static SourceInfo Read(JsonElement source)
    {
        if (source.ValueKind != JsonValueKind.Object)
        {
            throw Metadata.Wrong("source", "an object", source);
        }

        string? version = null, connector = null, name = null, db = null, sequence = null, schema = null, table = null, origin = null;
        long? tsMs = null, tsUs = null, tsNs = null, txId = null, lsn = null, xmin = null, originLsn = null;
        var snapshot = "false";
        foreach (var property in source.EnumerateObject())
        {
            var value = property.Value;
            try
            {
                if (property.NameEquals("version"u8)) { version = Metadata.String(value, "version"); }
                else if (property.NameEquals("connector"u8)) { connector = Metadata.String(value, "connector"); }
                else if (property.NameEquals("name"u8)) { name = Metadata.String(value, "name"); }
                else if (property.NameEquals("ts_ms"u8)) { tsMs = Metadata.Int64(value, "ts_ms"); }
                else if (property.NameEquals("snapshot"u8)) { snapshot = Snapshot(value); }
                else if (property.NameEquals("db"u8)) { db = Metadata.String(value, "db"); }
                else if (property.NameEquals("sequence"u8)) { sequence = Metadata.String(value, "sequence"); }
                else if (property.NameEquals("ts_us"u8)) { tsUs = Metadata.Int64(value, "ts_us"); }
                else if (property.NameEquals("ts_ns"u8)) { tsNs = Metadata.Int64(value, "ts_ns"); }
                else if (property.NameEquals("schema"u8)) { schema = Metadata.String(value, "schema"); }
                else if (property.NameEquals("table"u8)) { table = Metadata.String(value, "table"); }
                else if (property.NameEquals("txId"u8)) { txId = Metadata.Int64(value, "txId"); }
                else if (property.NameEquals("lsn"u8)) { lsn = Metadata.Int64(value, "lsn"); }
                else if (property.NameEquals("xmin"u8)) { xmin = Metadata.Int64(value, "xmin"); }
                else if (property.NameEquals("origin"u8)) { origin = Metadata.String(value, "origin"); }
                else if (property.NameEquals("origin_lsn"u8)) { originLsn = Metadata.Int64(value, "origin_lsn"); }
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
