using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Support;

/// <summary>Debezium-shaped Connect schemas and events for <c>orders(id bigint pk, status text, qty int)</c>, optionally with <c>note</c>.</summary>
internal static class OrdersAvro
{
    public const string Topic = "shop.public.orders";

    private static readonly ConnectSchema Id = new() { Type = ConnectType.Int64, Optional = false };
    private static readonly ConnectSchema Text = new() { Type = ConnectType.String, Optional = true };
    private static readonly ConnectSchema Int = new() { Type = ConnectType.Int32, Optional = true };

    public static ConnectSchema Key { get; } = DebeziumConnectSchemas.Key(Topic, [new ConnectField("id", Id)]);

    public static ConnectSchema Envelope(bool withNote) =>
        DebeziumConnectSchemas.Envelope(Topic, DebeziumConnectSchemas.Row(Topic, Columns(withNote)));

    public static ChangeRecord Upsert(long id, string status, int qty, string? note = null, bool withNote = false, long lsn = 100)
    {
        var values = new List<Column> { new("id", id, Id), new("status", status, Text), new("qty", qty, Int) };
        if (withNote)
        {
            values.Add(new Column("note", note, Text));
        }

        return new ChangeRecord(
            new RowImage([new Column("id", id, Id)]),
            new ChangeEvent
            {
                Operation = ChangeOperation.Create,
                After = new RowImage(values),
                Source = new SourceInfo
                {
                    Version = "3.1.3.Final",
                    Connector = "postgresql",
                    Name = "shop",
                    TsMs = 1_700_000_000_000,
                    Db = "shop",
                    Sequence = $"[\"{lsn - 10}\",\"{lsn}\"]",
                    Schema = "public",
                    Table = "orders",
                    TxId = 700,
                    Lsn = lsn,
                    ChangeVersion = new ChangeVersion(lsn - 10, lsn),
                },
                TsMs = 1_700_000_000_100,
            });
    }

    private static IEnumerable<ConnectField> Columns(bool withNote)
    {
        yield return new ConnectField("id", Id);
        yield return new ConnectField("status", Text);
        yield return new ConnectField("qty", Int);
        if (withNote)
        {
            yield return new ConnectField("note", Text);
        }
    }
}
