using Cdc.Registry;
using System.Text;
using Cdc.DevKit.Kafka;
using Cdc.Schemas;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Json;
using Cdc.Schemas.Registry;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// A topic where valid change events and fuzzed records alternate, through the real worker: every fuzzed record is
/// dead-lettered with a stage and a reason, every valid one is applied, and the worker keeps going to the end.
/// </summary>
public sealed class PoisonMixTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Records the decoder accepts but that do not fit <c>orders(id bigint, status varchar(20), qty int)</c>.</summary>
    private static readonly string[] ApplyStagePoison =
    [
        """{"id":7001,"status":"ok","qty":"not a number"}""",
        """{"id":7002,"status":"ok","qty":99999999999}""",
        """{"id":7003,"status":"ok","qty":1e400}""",
        """{"id":7004,"status":{"nested":true},"qty":1}""",
        """{"id":7005,"status":"a status far longer than twenty characters","qty":1}""",
        """{"id":"seven","status":"ok","qty":1}""",
    ];

    [Fact]
    public async Task Run_ValidAndFuzzedRecordsInterleaved_PoisonDeadLetteredValidApplied()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        var (options, model) = (bed.Options, bed.Model);
        kafka.CreateTopic(options.DeadLetterTopic, partitions: 1);
        var poison = new SortedSet<long>();
        var fuzzed = new Queue<(byte[]? Key, byte[]? Value)>(DecoderPoison(count: 120).Concat(ApplyPoison()));
        var id = 0;
        while (fuzzed.Count > 0)
        {
            id++;
            model.Upsert(id, "new", id);
            if (id % 4 == 0)
            {
                model.Delete(id - 2);
            }

            var (key, value) = fuzzed.Dequeue();
            poison.Add(model.Produced);
            model.Send(key ?? [], value);
        }

        model.Upsert(id + 1, "last");
        model.Flush();

        await using var sink = await SinkRunner.StartAsync(options);
        await bed.UntilInSyncAsync(Timeout);
        await Wait.UntilAsync(() => Task.FromResult(sink.Sink.Worker.RecordsApplied == model.Produced), Timeout, "the worker to pass every record");
        var deadLetters = DeadLetters.Read(kafka, options.DeadLetterTopic, poison.Count, Timeout);

        Assert.True(poison.SetEquals(deadLetters.Select(DeadLetters.Offset)), "dead-lettered offsets differ from the poison's:\n" + DeadLetters.Describe(deadLetters));
        Assert.All(deadLetters, m =>
        {
            Assert.Contains(DeadLetters.Header(m, "stage"), new[] { "KEY_CONVERTER", "VALUE_CONVERTER", "TASK_PUT" });
            Assert.False(string.IsNullOrWhiteSpace(DeadLetters.Header(m, "exception.message")));
            Assert.Equal(options.Kafka.Topics[0], DeadLetters.Header(m, "topic"));
        });
        Assert.Equal(model.ExpectedRows, await bed.Store.RowsAsync(OrdersModel.SelectRows));
        Assert.Equal([model.Produced.ToString(System.Globalization.CultureInfo.InvariantCulture)], await bed.Store.RowsAsync("SELECT next_offset FROM cdc.offsets"));
    }

    [Fact]
    public async Task Run_DeadLetterPublishFailsOnce_RetriedNeverSkipped()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        var (options, model) = (bed.Options, bed.Model);
        kafka.CreateTopic(options.DeadLetterTopic, partitions: 1);
        model.Upsert(1, "new");
        model.Send(DebeziumText.Key(2), Encoding.UTF8.GetBytes("{ not json"));
        model.Upsert(3, "new");
        model.Flush();
        kafka.Cluster.PushRequestErrors(KafkaApiKey.Produce, Confluent.Kafka.ErrorCode.TopicAuthorizationFailed);
        try
        {
            await using var sink = await SinkRunner.StartAsync(options);
            await bed.UntilInSyncAsync(Timeout);
            var deadLetter = Assert.Single(DeadLetters.Read(kafka, options.DeadLetterTopic, 1, Timeout));

            Assert.Equal("1", DeadLetters.Header(deadLetter, "offset"));
            await Wait.UntilAsync(() => Task.FromResult(sink.Sink.Worker.RecordsApplied == 3), Timeout, "the worker to pass all three records");
        }
        finally
        {
            kafka.Cluster.ClearRequestErrors(KafkaApiKey.Produce);
        }
    }

    [Fact]
    public async Task Run_AvroWithFuzzedRecordsBetweenValidOnes_PoisonDeadLetteredValidApplied()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        var topic = bed.Options.Kafka.Topics[0];
        bed.Options.Format = "avro";
        bed.Options.SchemaRegistry[SchemaRegistrySettings.Url] = registry.Url;
        kafka.CreateTopic(bed.Options.DeadLetterTopic, partitions: 1);
        using var orders = new AvroOrders(kafka, topic, registry.Url);
        for (var id = 1; id <= 30; id++)
        {
            await orders.ChangeAsync('c', id, id, "new", 1);
        }

        orders.Flush();
        var valid = ReadBack(topic, 30);
        using var client = new ConfluentSchemaRegistry(registry.Url);
        var decoder = new DebeziumAvroDecoder(client);
        var mutator = new RecordMutator(5150);
        var poison = new List<long>();
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(kafka.ProducerConfig()).Build())
        {
            while (poison.Count < 40)
            {
                var (key, value) = valid[mutator.Next(valid.Count)];
                var fuzzed = poison.Count % 8 == 0
                    ? (key, [.. value[..ConfluentWireFormat.HeaderLength], .. mutator.RandomBytes(64)])
                    : (key, mutator.MutateBytes(value, key, ConfluentWireFormat.HeaderLength));
                if (await IsRejectedAsync(decoder, fuzzed))
                {
                    producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = fuzzed.key, Value = fuzzed.Item2 });
                    poison.Add(30 + poison.Count);
                }
            }

            producer.Flush(Timeout);
        }

        for (var id = 31; id <= 40; id++)
        {
            await orders.ChangeAsync('c', id, id, "new", 1);
        }

        orders.Flush();
        await using var sink = await SinkRunner.StartAsync(bed.Options);
        await Wait.UntilAsync(() => Task.FromResult(sink.Sink.Worker.RecordsApplied == 80), Timeout, "the worker to pass every record");
        var deadLetters = DeadLetters.Read(kafka, bed.Options.DeadLetterTopic, poison.Count, Timeout);

        Assert.Equal(poison, deadLetters.Select(DeadLetters.Offset));
        Assert.All(deadLetters, m => Assert.False(string.IsNullOrWhiteSpace(DeadLetters.Header(m, "exception.message"))));
        Assert.Equal(Enumerable.Range(1, 40).Select(id => $"{id}|new|1"), await bed.Store.RowsAsync(OrdersModel.SelectRows));
    }

    private List<(byte[] Key, byte[] Value)> ReadBack(string topic, int count)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = new List<(byte[], byte[])>();
        while (records.Count < count && consumer.Consume(Timeout) is { } result)
        {
            records.Add((result.Message.Key!, result.Message.Value!));
        }

        return records;
    }

    private static bool IsRejected(DebeziumJsonDecoder decoder, (byte[]? Key, byte[]? Value) record)
    {
        try
        {
            decoder.Decode("t", record.Key, record.Value);
            return false;
        }
        catch (EventDecodeException)
        {
            return true;
        }
    }

    private static async Task<bool> IsRejectedAsync(IChangeEventDecoder decoder, (byte[]? Key, byte[]? Value) record)
    {
        try
        {
            await decoder.DecodeAsync("t", record.Key, record.Value);
            return false;
        }
        catch (EventDecodeException)
        {
            return true;
        }
    }

    /// <summary>Mutations of valid orders events (ids 5000+) and random bytes that the decoder itself rejects.</summary>
    private static IEnumerable<(byte[]? Key, byte[]? Value)> DecoderPoison(int count)
    {
        var decoder = new DebeziumJsonDecoder();
        var mutator = new RecordMutator(424242);
        var found = 0;
        for (var i = 0; found < count; i++)
        {
            var key = DebeziumText.Key(5000 + i);
            var value = DebeziumText.Change('c', 5000 + i, 1_000_000 + i, "fuzz", i);
            (byte[]? Key, byte[]? Value) candidate = (i % 10) switch
            {
                0 => (mutator.RandomBytes(32), mutator.RandomBytes(512)),
                1 => (mutator.MutateBytes(key, value), value),
                2 or 3 => (key, mutator.MutateBytes(value, key)),
                _ => (key, mutator.MutateJson(value)),
            };
            if (IsRejected(decoder, candidate))
            {
                found++;
                yield return candidate;
            }
        }
    }

    private static IEnumerable<(byte[]? Key, byte[]? Value)> ApplyPoison() =>
        ApplyStagePoison.Select((row, i) =>
        {
            var change = Encoding.UTF8.GetString(DebeziumText.Change('c', 7000 + i, 2_000_000 + i, "placeholder"));
            var value = Encoding.UTF8.GetBytes(change.Replace($$"""{"id":{{7000 + i}},"status":"placeholder","qty":0}""", row, StringComparison.Ordinal));
            return ((byte[]?)DebeziumText.Key(7000 + i), (byte[]?)value);
        });
}
