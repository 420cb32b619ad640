using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// Records larger than the sink accepts (<c>MaxRecordBytes</c>) are dead-lettered with the reason, and neighbours
/// applied. A dead letter too large for the dead-letter producer (its <c>message.max.bytes</c>, <c>MaxRecordBytes</c> plus
/// 1 MiB by default, or the broker's limit) is parked without its value rather than blocking the partition forever.
/// </summary>
public sealed class OversizedRecordTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(100_000, 200_000, false)]
    [InlineData(1_000_000, 2_200_000, true)]
    public async Task Run_RecordLargerThanMaxRecordBytes_DeadLetteredNeighboursApplied(int maxRecordBytes, int statusLength, bool valueDropped)
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        var (options, model) = (bed.Options, bed.Model);
        options.MaxRecordBytes = maxRecordBytes;
        kafka.CreateTopic(options.DeadLetterTopic, partitions: 1);
        model.Upsert(1, "new");
        model.Flush();
        var huge = DebeziumText.Change('c', 2, 100, new string('x', statusLength));
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig(kafka.ProducerConfig()) { MessageMaxBytes = 4_000_000 }).Build())
        {
            await producer.ProduceAsync(options.Kafka.Topics[0], new Message<byte[], byte[]> { Key = DebeziumText.Key(2), Value = huge });
        }

        model.Upsert(3, "new");
        model.Flush();

        await using var sink = await SinkRunner.StartAsync(options);
        await Wait.UntilAsync(() => Task.FromResult(sink.Sink.Worker.RecordsApplied == 3), Timeout, "the worker to pass all three records");
        var deadLetter = Assert.Single(DeadLetters.Read(kafka, options.DeadLetterTopic, 1, Timeout));

        Assert.Equal(["1|new|1", "3|new|1"], await bed.Store.RowsAsync(OrdersModel.SelectRows));
        Assert.Equal("1", DeadLetters.Header(deadLetter, "offset"));
        Assert.Contains($"larger than MaxRecordBytes ({maxRecordBytes})", DeadLetters.Header(deadLetter, "exception.message"), StringComparison.Ordinal);
        Assert.Equal(DebeziumText.Key(2), deadLetter.Key);
        if (valueDropped)
        {
            Assert.Null(deadLetter.Value);
            Assert.Equal(huge.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), DeadLetters.Header(deadLetter, "value.dropped.bytes"));
        }
        else
        {
            Assert.Equal(huge, deadLetter.Value);
        }
    }
}
