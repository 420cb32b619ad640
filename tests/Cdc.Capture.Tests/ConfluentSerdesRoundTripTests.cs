using Avro.Generic;
using Cdc.Capture.Configuration;
using Cdc.Capture.Tests.Support;
using Cdc.Schemas.Registry;
using Cdc.Testing;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Npgsql;
using NpgsqlTypes;

namespace Cdc.Capture.Tests;

/// <summary>
/// Confluent's own Avro serdes as the reference, in both directions, for every mapped type, against <c>./cdc registry</c>
/// (started as the developer starts it): what Confluent's <c>AvroDeserializer</c> reads from the connector's topic is the primary's data, and
/// what Confluent's <c>AvroSerializer</c> writes (the same records, produced anew) the sink applies exactly, in the
/// default <c>decimal.handling.mode=string</c> and in <c>precise</c>. There a Decimal with scale above precision
/// (PostgreSQL's <c>numeric(2,5)</c>) is a schema Confluent's serdes cannot read (Apache.Avro refuses it): the test shows
/// that, and that Cdc's own decoder applies it exactly.
/// </summary>
public sealed class ConfluentSerdesRoundTripTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string OddTable = "public.scale_over_precision";
    private const string OddDdl = "CREATE TABLE scale_over_precision (id int PRIMARY KEY, n numeric(2,5))";
    private const string OddSelect = "SELECT id::text, n::text FROM scale_over_precision ORDER BY id";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("string")]
    [InlineData("precise")]
    public async Task Every_type_reads_as_the_primary_through_Confluents_deserializer_and_its_serializers_records_are_applied_exactly(string decimalMode)
    {
        using var registry = await RegistryProcess.StartAsync();
        await using var bed = await CaptureTestBed.CreateAsync(
            postgres, kafka, $"{AllTypes.CreateTable}; {AllTypes.InsertRows}; {OddDdl}; INSERT INTO scale_over_precision VALUES (1, 0.00012), (2, NULL)", AllTypes.Table, OddTable);
        bed.Options.Format = CaptureOptions.AvroFormat;
        bed.Options.SchemaRegistry[SchemaRegistrySettings.Url] = registry.Url;
        bed.Options.DecimalHandlingMode = decimalMode;
        await using (var capture = await bed.StartAsync())
        {
            await CaptureTestBed.UntilStreamingAsync(capture);
            await bed.ExecuteAsync($"INSERT INTO all_types SELECT id + 10, {string.Join(", ", AllTypes.Columns.Skip(1))} FROM all_types");
            await bed.ExecuteAsync(AllTypes.UpdateKeepingToast.Replace("id = 1", "id = 11", StringComparison.Ordinal));
            await bed.ExecuteAsync("DELETE FROM all_types WHERE id = 12");
            await bed.ExecuteAsync("INSERT INTO scale_over_precision VALUES (3, -0.00099)");

            // 3 snapshot reads, 3 inserts, 1 update, a delete and its tombstone; 3 rows of the odd table.
            var topic = Read(bed.Topic(AllTypes.Table), 9);
            var odd = Read(bed.Topic(OddTable), 3);
            var primary = await StoreRows.ReadAsync(bed.SourceConnectionString, AllTypes.SelectText);
            using var confluent = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Url });

            // Direction 1: a Confluent-based consumer of the connector's topic reads the primary's rows.
            var records = new List<(GenericRecord? Key, GenericRecord? Value)>();
            foreach (var message in topic)
            {
                records.Add((await DeserializeAsync(confluent, message.Key, bed.Topic(AllTypes.Table), MessageComponentType.Key),
                    await DeserializeAsync(confluent, message.Value, bed.Topic(AllTypes.Table), MessageComponentType.Value)));
            }

            var read = await postgres.CreateDatabaseAsync();
            await StoreRows.ExecuteAsync(read, AllTypes.CreateTable);
            await InsertFoldedAsync(read, records);
            Assert.Equal(primary, await StoreRows.ReadAsync(read, AllTypes.SelectText));

            // Where Confluent's serdes cannot go: Apache.Avro refuses the Decimal schema with scale 5 above precision 2
            // (in string mode the value is text, which it reads).
            if (decimalMode == "precise")
            {
                var refused = await Assert.ThrowsAnyAsync<Exception>(() => DeserializeAsync(confluent, odd[0].Value, bed.Topic(OddTable), MessageComponentType.Value));
                Assert.Contains("scale", refused.ToString(), StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                var values = new List<object?>();
                foreach (var message in odd)
                {
                    values.Add(((GenericRecord)(await DeserializeAsync(confluent, message.Value, bed.Topic(OddTable), MessageComponentType.Value))!["after"])["n"]);
                }

                Assert.Equal([null, "-0.00099", "0.00012"], values.OrderBy(v => v as string, StringComparer.Ordinal));
            }

            // Direction 2: the same records written by Confluent's serializer (schemas registered by it) are applied exactly.
            var produced = kafka.CreateTopic($"{bed.Options.TopicPrefix}x.public.all_types", bed.Partitions);
            await ProduceAsync(confluent, produced, records);
            var store = await postgres.CreateDatabaseAsync();
            await StoreRows.ExecuteAsync(store, $"{AllTypes.CreateTable}; {OddDdl}");
            await using var sink = await SinkProcess.StartAvroAsync(store, kafka, registry.Url, produced, bed.Topic(OddTable));
            await StoreRows.UntilEqualAsync(store, AllTypes.SelectText, primary, Timeout);

            // ... and the odd table, which only Cdc's own decoder reads, arrives exactly too.
            await StoreRows.UntilEqualAsync(store, OddSelect, await StoreRows.ReadAsync(bed.SourceConnectionString, OddSelect), Timeout);
            Assert.Equal(5, primary.Count);
        }
    }

    private static async Task<GenericRecord?> DeserializeAsync(CachedSchemaRegistryClient registry, byte[]? data, string topic, MessageComponentType component) =>
        data is null ? null : await new AvroDeserializer<GenericRecord>(registry).DeserializeAsync(data, isNull: false, new SerializationContext(component, topic));

    private async Task ProduceAsync(CachedSchemaRegistryClient registry, string topic, List<(GenericRecord? Key, GenericRecord? Value)> records)
    {
        var serializer = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true });
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(kafka.ProducerConfig()).Build();
        foreach (var (key, value) in records)
        {
            producer.Produce(topic, new Message<byte[]?, byte[]?>
            {
                Key = key is null ? null : await serializer.SerializeAsync(key, new SerializationContext(MessageComponentType.Key, topic)),
                Value = value is null ? null : await serializer.SerializeAsync(value, new SerializationContext(MessageComponentType.Value, topic)),
            });
        }

        producer.Flush(Timeout);
    }

    /// <summary>The topic's records in the order the connector wrote each key's (a key stays in one partition).</summary>
    private List<Message<byte[]?, byte[]?>> Read(string topic, int count, int partitions = 4)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var messages = new List<Message<byte[]?, byte[]?>>();
        var deadline = TimeProvider.System.GetUtcNow() + Timeout;
        while (messages.Count < count && TimeProvider.System.GetUtcNow() < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                messages.Add(result.Message);
            }
        }

        Assert.True(messages.Count == count, $"{topic}: {messages.Count} of {count} records");
        return messages;
    }

    /// <summary>The rows the events leave behind (deletes remove, a TOAST placeholder keeps the earlier value), inserted as PostgreSQL input text.</summary>
    private static async Task InsertFoldedAsync(string database, List<(GenericRecord? Key, GenericRecord? Value)> records)
    {
        var rows = new Dictionary<object, Dictionary<string, string?>>();
        foreach (var (key, value) in records)
        {
            if (value is null)
            {
                continue;
            }

            var id = key!["id"];
            if ((string)value["op"] == "d")
            {
                rows.Remove(id);
                continue;
            }

            var after = (GenericRecord)value["after"];
            var row = new Dictionary<string, string?>();
            foreach (var field in after.Schema.Fields)
            {
                var text = DebeziumAvroText.Of(after[field.Name], field.Schema);
                row[field.Name] = text == DebeziumAvroText.ToastPlaceholder ? rows[id][field.Name] : text;
            }

            rows[id] = row;
        }

        await using var source = NpgsqlDataSource.Create(database);
        foreach (var row in rows.Values)
        {
            await using var command = source.CreateCommand(
                $"INSERT INTO all_types ({string.Join(", ", AllTypes.Columns)}) VALUES ({string.Join(", ", AllTypes.Columns.Select((_, i) => $"${i + 1}"))})");
            foreach (var column in AllTypes.Columns)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)row[column] ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown });
            }

            await command.ExecuteNonQueryAsync();
        }
    }
}
