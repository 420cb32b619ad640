using Cdc.Store.Mapping;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// A table renamed at the source (<c>ALTER TABLE orders RENAME TO orders_v2</c>): Debezium's events for it arrive on
/// a new topic, <c>&lt;prefix&gt;.public.orders_v2</c>, with <c>source.table = orders_v2</c>. By default the sink follows
/// the source: a new target table (created from the event's schema), the old one left as it was. A mapping rule
/// whose pattern takes both topics to one <c>Table</c> keeps the rows in the old table, version-guarded as ever.
/// </summary>
public sealed class RenamedTableTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Text = """{"type":"string","optional":true}""";

    [Fact]
    public async Task Run_TableRenamedAtSource_ByDefaultANewTable()
    {
        var prefix = KafkaFixture.UniqueName("r");
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, $"{prefix}.public.orders", $"{prefix}.public.orders_v2");
        SendAcrossTheRename(bed, prefix);
        await bed.RunAsync();

        Assert.Equal(["1|new", "2|new"], await bed.Store.RowsAsync("SELECT id, status FROM public.orders ORDER BY id"));
        Assert.Equal(["1|renamed", "3|new"], await bed.Store.RowsAsync("SELECT id, status FROM public.orders_v2 ORDER BY id"));
    }

    [Fact]
    public async Task Run_TableRenamedAtSource_MappingKeepsTheOldTable()
    {
        var prefix = KafkaFixture.UniqueName("r");
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, $"{prefix}.public.orders", $"{prefix}.public.orders_v2");
        bed.Options.Tables.Add(new TableMappingOptions { TopicPattern = $@"{prefix}\.public\.orders(_v2)?", Table = "orders" });
        SendAcrossTheRename(bed, prefix);
        await bed.RunAsync();

        Assert.Equal(["1|renamed", "2|new", "3|new"], await bed.Store.RowsAsync("SELECT id, status FROM public.orders ORDER BY id"));
        Assert.Equal(["0"], await bed.Store.RowsAsync("SELECT count(*) FROM pg_class WHERE relname = 'orders_v2'"));
    }

    private static void SendAcrossTheRename(TopicBed bed, string prefix)
    {
        bed.Send($"{prefix}.public.orders", SchemaEvents.Key(1), SchemaEvents.Create("orders", 1, 1, new Field("status", Text, "\"new\"")));
        bed.Send($"{prefix}.public.orders", SchemaEvents.Key(2), SchemaEvents.Create("orders", 2, 2, new Field("status", Text, "\"new\"")));
        bed.Send($"{prefix}.public.orders_v2", SchemaEvents.Key(1), SchemaEvents.Create("orders_v2", 1, 3, new Field("status", Text, "\"renamed\"")));
        bed.Send($"{prefix}.public.orders_v2", SchemaEvents.Key(3), SchemaEvents.Create("orders_v2", 3, 4, new Field("status", Text, "\"new\"")));
    }
}
