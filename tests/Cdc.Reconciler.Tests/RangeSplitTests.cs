using Cdc.Reconciler.Compare;
using Cdc.Reconciler.Schema;
using Cdc.Reconciler.Tests.Support;
using Cdc.Sink.Configuration;
using Cdc.Store.Mapping;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

public sealed class RangeSplitTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_composite_key_range_is_split_in_key_order_not_in_the_order_of_its_text()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("CREATE TABLE public.order_items (order_id bigint, line int, qty int, PRIMARY KEY (order_id, line))");
        await bed.OnStoreAsync("CREATE TABLE public.order_items (order_id bigint, line int, qty int, PRIMARY KEY (order_id, line))");
        await bed.OnPrimaryAsync("INSERT INTO order_items SELECT g, 1, g FROM generate_series(1, 20) g");
        var (pair, refusal) = await new TablePairResolver(bed.Primary, bed.Store, new TableRouter(new SinkOptions()), "cdc")
            .ResolveAsync(new TableName("public", "order_items"), CancellationToken.None);
        Assert.True(pair is not null, refusal);
        Assert.Equal(KeyOrder.Range, pair.Order);
        var primary = new SideReader(bed.Primary, pair, primary: true);

        // In text order the 11th key would be "19" (1, 10, 11, ..., 19, 2, 20, 3, ...).
        Assert.Equal("11,1", string.Join(",", await primary.KeyAtAsync(KeyRange.All, 10, CancellationToken.None) ?? []));
        Assert.Equal("9,1", string.Join(",", await primary.KeyAtAsync(new KeyRange(["5", "1"], ["12", "1"]), 4, CancellationToken.None) ?? []));
    }
}
