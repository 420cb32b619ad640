using Cdc.Capture.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Capture.Tests;

public sealed class HeartbeatTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task An_idle_slot_is_confirmed_past_writes_to_uncaptured_tables_and_heartbeats_are_sent()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, "CREATE TABLE captured (id int PRIMARY KEY); CREATE TABLE other (id int)", "public.captured");
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        var slotSql = $"SELECT (confirmed_flush_lsn - '0/0')::int8 FROM pg_replication_slots WHERE slot_name = '{bed.Options.Slot}'";
        var before = await bed.ScalarAsync<long>(slotSql);

        await bed.ExecuteAsync("INSERT INTO other SELECT generate_series(1, 1000)");
        var written = await bed.ScalarAsync<long>("SELECT (pg_current_wal_lsn() - '0/0')::int8");

        await Wait.UntilAsync(async () => await bed.ScalarAsync<long>(slotSql) >= written, TimeSpan.FromSeconds(30), "the idle slot to be confirmed past the uncaptured writes");
        Assert.True(written > before);

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        consumer.Assign(new TopicPartitionOffset(bed.Options.HeartbeatTopic, 0, Offset.Beginning));
        var heartbeat = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.NotNull(heartbeat);
        Assert.Contains($"\"serverName\":\"{bed.Options.TopicPrefix}\"", System.Text.Encoding.UTF8.GetString(heartbeat.Message.Key!), StringComparison.Ordinal);
        Assert.Contains("\"ts_ms\"", System.Text.Encoding.UTF8.GetString(heartbeat.Message.Value!), StringComparison.Ordinal);
    }
}
