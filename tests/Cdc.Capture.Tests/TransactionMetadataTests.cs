using Cdc.Capture.Tests.Support;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;
using Cdc.Schemas.Transactions;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Capture.Tests;

/// <summary>Debezium's transaction metadata from the .NET connector, on by default, for a real multi-table transaction.</summary>
public sealed class TransactionMetadataTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task A_multi_table_transaction_gets_BEGIN_END_and_a_transaction_block_on_every_event()
    {
        await using var bed = await CaptureTestBed.CreateAsync(
            postgres, kafka,
            "CREATE TABLE orders (id int PRIMARY KEY, total int); CREATE TABLE order_items (id int PRIMARY KEY, order_id int, amount int); INSERT INTO order_items VALUES (99, 0, 0)",
            "public.orders", "public.order_items");
        Assert.True(bed.Options.TransactionMetadata);
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        using var reader = bed.Reader("public.orders", "public.order_items");

        await bed.ExecuteAsync("""
            BEGIN;
            INSERT INTO orders VALUES (1, 30), (2, 5);
            INSERT INTO order_items VALUES (10, 1, 10), (11, 1, 20), (12, 2, 5);
            UPDATE orders SET total = 31 WHERE id = 1;
            DELETE FROM order_items WHERE id = 99;
            COMMIT;
            """);
        var after = await bed.ScalarAsync<long>("SELECT (pg_current_wal_lsn() - '0/0')::int8");

        var events = (await reader.ReadUntilAsync(r => r.Count(x => x.Op is "c" or "u" or "d") >= 7, TimeSpan.FromSeconds(30), "seven events"))
            .Where(r => r.Op is "c" or "u" or "d").Select(r => r.Event!).OrderBy(e => e.Source.Lsn).ToList();
        var xid = events[0].Source.TxId!.Value;
        var transaction = Transaction(bed.Options.TransactionTopic, xid);
        var (begin, end) = (transaction[0], transaction[1]);

        Assert.Equal(TransactionStatus.Begin, begin.Status);
        Assert.Equal(xid, begin.Xid);
        Assert.True(begin.Lsn <= events[0].Source.Lsn, "BEGIN's id carries the transaction's first LSN");
        Assert.Null(begin.EventCount);
        Assert.Null(begin.DataCollections);
        Assert.Equal(events[0].Source.TsMs, begin.TsMs);

        Assert.Equal(TransactionStatus.End, end.Status);
        Assert.Equal(xid, end.Xid);
        Assert.InRange(end.Lsn, events[^1].Source.Lsn!.Value + 1, after);
        Assert.Equal(7, end.EventCount);
        Assert.Equal(3, end.DataCollections!.Single(c => c.DataCollection == "public.orders").EventCount);
        Assert.Equal(4, end.DataCollections!.Single(c => c.DataCollection == "public.order_items").EventCount);

        // Every event: id "txId:<its own LSN>" (PostgresTransactionMonitor), total_order 1..7 in WAL order, per-table order.
        Assert.All(events, e => Assert.Equal(TransactionMetadata.FormatId(xid, e.Source.Lsn!.Value), e.Transaction!.Id));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), events.Select(e => e.Transaction!.TotalOrder));
        Assert.Equal([1L, 2L, 3L], events.Where(e => e.Source.Table == "orders").Select(e => e.Transaction!.DataCollectionOrder));
        Assert.Equal([1L, 2L, 3L, 4L], events.Where(e => e.Source.Table == "order_items").Select(e => e.Transaction!.DataCollectionOrder));
    }

    /// <summary>The transaction topic's records of <paramref name="xid"/>, BEGIN to END.</summary>
    private IReadOnlyList<TransactionMetadata> Transaction(string topic, long xid)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var decoder = new DebeziumJsonDecoder();
        var records = new List<TransactionMetadata>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!records.Any(r => r.Status == TransactionStatus.End) && started.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } r)
            {
                Assert.Contains("\"name\":\"io.debezium.connector.common.TransactionMetadataKey\"", System.Text.Encoding.UTF8.GetString(r.Message.Key!), StringComparison.Ordinal);
                var record = TransactionMetadata.FromRow(decoder.DecodeStruct(topic, r.Message.Value!));
                if (record.Xid == xid)
                {
                    records.Add(record);
                }
            }
        }

        Assert.Equal(2, records.Count);
        return records;
    }
}
