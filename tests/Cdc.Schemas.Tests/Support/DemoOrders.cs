using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Tests.Support;

/// <summary>
/// The demo table <c>orders(id bigint pk, status text, qty int, amount numeric(12,2), updated_at timestamptz,
/// note text)</c> as Debezium describes it on topic <c>shop.public.orders</c>: the source of schemas/avro/*.avsc.
/// </summary>
internal static class DemoOrders
{
    public const string Topic = "shop.public.orders";

    public static ConnectSchema Key { get; } =
        DebeziumConnectSchemas.Key(Topic, [new ConnectField("id", new ConnectSchema { Type = ConnectType.Int64, Optional = false })]);

    public static ConnectSchema Envelope { get; } = DebeziumConnectSchemas.Envelope(Topic, DebeziumConnectSchemas.Row(Topic,
    [
        new ConnectField("id", new ConnectSchema { Type = ConnectType.Int64, Optional = false }),
        new ConnectField("status", new ConnectSchema { Type = ConnectType.String }),
        new ConnectField("qty", new ConnectSchema { Type = ConnectType.Int32 }),
        new ConnectField("amount", new ConnectSchema
        {
            Type = ConnectType.Bytes,
            Name = ConnectLogicalNames.Decimal,
            Version = 1,
            Parameters = new Dictionary<string, string> { [ConnectLogicalNames.ScaleParameter] = "2", [ConnectLogicalNames.PrecisionParameter] = "12" },
        }),
        new ConnectField("updated_at", new ConnectSchema { Type = ConnectType.String, Name = ConnectLogicalNames.ZonedTimestamp, Version = 1 }),
        new ConnectField("note", new ConnectSchema { Type = ConnectType.String }),
    ]));
}
