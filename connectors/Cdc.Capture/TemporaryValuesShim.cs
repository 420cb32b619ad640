// TEMPORARY until branch `values` lands (deleted at the merge): just enough for plumbing tests (ints and text, schemaless).
#pragma warning disable
using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect
{
    internal static class PostgresText
    {
        public static object? ToConnectValue(string text, ConnectSchema schema, string pgType) => schema.Type switch
        {
            ConnectType.Int32 => int.Parse(text),
            ConnectType.Int64 => long.Parse(text),
            ConnectType.Int16 => short.Parse(text),
            _ => text,
        };
    }
}

namespace Cdc.Schemas.Json
{
    internal sealed class DebeziumJsonEncoderOptions
    {
        public bool SchemasEnable { get; set; } = true;
    }

    internal sealed class DebeziumJsonEncoder(DebeziumJsonEncoderOptions options)
    {
        public (byte[]? Key, byte[]? Value) Encode(Cdc.Schemas.Connect.ConnectSchema? keySchema, Cdc.Schemas.Connect.ConnectSchema envelopeSchema, ChangeRecord record)
        {
            byte[]? key = record.Key is null ? null : JsonSerializer.SerializeToUtf8Bytes(Row(record.Key));
            if (record.Event is not { } e) return (key, null);
            var s = e.Source;
            var value = new Dictionary<string, object?>
            {
                ["before"] = e.Before is null ? null : Row(e.Before),
                ["after"] = e.After is null ? null : Row(e.After),
                ["source"] = new Dictionary<string, object?> { ["version"] = s.Version, ["connector"] = s.Connector, ["name"] = s.Name, ["ts_ms"] = s.TsMs, ["snapshot"] = s.Snapshot, ["db"] = s.Db, ["sequence"] = s.Sequence, ["schema"] = s.Schema, ["table"] = s.Table, ["txId"] = s.TxId, ["lsn"] = s.Lsn },
                ["op"] = e.Operation switch { ChangeOperation.Create => "c", ChangeOperation.Update => "u", ChangeOperation.Delete => "d", _ => "r" },
                ["ts_ms"] = e.TsMs,
            };
            return (key, JsonSerializer.SerializeToUtf8Bytes(value));
        }

        private static Dictionary<string, object?> Row(RowImage row) => row.ToDictionary(c => c.Name, c => c.Value);
    }
}
