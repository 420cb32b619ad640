using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

[Collection(FaultCollection.Name)]
public sealed class BrokerOutageTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task Brokers_down_then_up_nothing_is_lost_and_nothing_unacknowledged_is_confirmed()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, "CREATE TABLE t (id int PRIMARY KEY, v text)", "public.t");
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        using var reader = bed.Reader("public.t");
        await bed.ExecuteAsync("INSERT INTO t VALUES (0, 'before')");
        await reader.ReadUntilAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30), "the first insert");
        var beforeOutage = await bed.ScalarAsync<long>("SELECT (pg_current_wal_lsn() - '0/0')::int8");

        foreach (var broker in kafka.Cluster.Brokers)
        {
            kafka.Cluster.SetBrokerDown(broker.Id);
        }

        try
        {
            for (var i = 1; i <= 100; i++)
            {
                await bed.ExecuteAsync($"INSERT INTO t VALUES ({i}, 'during')");
            }

            await Task.Delay(3000);
            var confirmed = await bed.ScalarAsync<long>($"SELECT (confirmed_flush_lsn - '0/0')::int8 FROM pg_replication_slots WHERE slot_name = '{bed.Options.Slot}'");
            Assert.True(confirmed <= beforeOutage, $"the slot was confirmed to {confirmed}, past {beforeOutage}, while Kafka acknowledged nothing");
        }
        finally
        {
            foreach (var broker in kafka.Cluster.Brokers)
            {
                kafka.Cluster.SetBrokerUp(broker.Id);
            }
        }

        var records = await reader.ReadUntilAsync(r => r.Select(x => x.KeyText).Distinct().Count() >= 101, TimeSpan.FromSeconds(60), "every insert after the outage");
        Assert.Equal(Enumerable.Range(0, 101).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), records.Select(r => r.KeyText).Distinct().Order());
        await Wait.UntilAsync(
            async () => await bed.ScalarAsync<long>($"SELECT (confirmed_flush_lsn - '0/0')::int8 FROM pg_replication_slots WHERE slot_name = '{bed.Options.Slot}'") > beforeOutage,
            TimeSpan.FromSeconds(30),
            "the slot to be confirmed past the outage once Kafka acknowledged");
    }
}
