using Cdc.Sink.Tests.Support;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Bugs;

/// <summary>
/// Issue 13: events Debezium publishes, applied exactly by the real worker. Each fixture names its source and the
/// documentation slips it fixes (<c>tests/Cdc.Schemas.Tests/Fixtures/published</c>). Neither carries a
/// <c>source.sequence</c> on its changes: the documented update was dropped and the documented delete left its row
/// before one row's events were ordered by their own LSN.
/// </summary>
public sealed class Issue13PublishedEventsTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task Debeziums_documented_create_update_and_delete_apply_exactly()
    {
        var fixture = GoldenFixture.Load("published/debezium-docs-customers.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);

        await pipeline.ApplyAsync(fixture[0], fixture[1]);
        Assert.Equal(["1|Anne Marie|Kretchmar|annek@noanswer.org"], await pipeline.RowsAsync("SELECT id, first_name, last_name, email FROM public.customers"));

        await pipeline.ApplyAsync(fixture[2], fixture[3]);
        Assert.Empty(await pipeline.RowsAsync("SELECT id FROM public.customers"));
        Assert.Equal(["public.customers|[\"1\"]|0|46523128"], await pipeline.RowsAsync("SELECT target_table, row_key, commit_lsn, event_lsn FROM cdc.tombstones"));
    }

    [Fact]
    public async Task Debezium_1_2_output_captured_by_Flink_applies_exactly()
    {
        var fixture = GoldenFixture.Load("published/debezium-1.2-products-capture.json");
        await using var pipeline = await GoldenPipeline.CreateAsync(postgres, kafka, fixture);

        await pipeline.ApplyAsync([.. fixture.Records]);

        Assert.Equal(
            [
                "101|scooter|Small 2-wheel scooter|3.14",
                "102|car battery|12V car battery|8.1",
                "103|12-pack drill bits|12-pack of drill bits with sizes ranging from #40 to #3|0.8",
                "104|hammer|12oz carpenter's hammer|0.75",
                "105|hammer|14oz carpenter's hammer|0.875",
                "106|hammer|18oz carpenter hammer|1",
                "107|rocks|box of assorted rocks|5.1",
                "108|jacket|water resistent black wind breaker|0.1",
                "109|spare tire|24 inch spare tire|22.2",
                "110|jacket|new water resistent white wind breaker|0.5",
            ],
            await pipeline.RowsAsync("SELECT id, name, description, weight::text FROM public.products ORDER BY id"));
    }
}
