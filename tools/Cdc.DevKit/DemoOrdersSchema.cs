using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;

namespace Cdc.DevKit;

/// <summary>
/// The demo table <c>orders(id bigint pk, status text, qty int, amount numeric(12,2), updated_at timestamptz,
/// note text)</c> as Debezium describes it: the source of <c>schemas/avro/*.avsc</c>, used by the Avro tests and
/// the Avro benchmark.
/// </summary>
public static class DemoOrdersSchema
{
    public const string Topic = "shop.public.orders";

    private static readonly ConnectSchema IdSchema = new() { Type = ConnectType.Int64, Optional = false };

    /// <summary>The key struct <c>&lt;topic&gt;.Key</c>: the primary key <c>id</c>.</summary>
    public static ConnectSchema Key(string topic = Topic) => DebeziumConnectSchemas.Key(topic, [new ConnectField("id", IdSchema)]);

    /// <summary>The envelope <c>&lt;topic&gt;.Envelope</c> of rows typed as PostgreSQL declares them.</summary>
    public static ConnectSchema Envelope(string topic = Topic) => DebeziumConnectSchemas.Envelope(topic, DebeziumConnectSchemas.Row(topic,
    [
        new ConnectField("id", IdSchema),
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
