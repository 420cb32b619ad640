using System.Text;
using Cdc.Sink.Configuration;
using Cdc.Sink.Worker;
using Cdc.Testing;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.Sink.Tests.Support;

/// <summary>
/// Golden fixture records produced to a one-partition topic of the mock Kafka cluster and applied by the real
/// worker into a throwaway database; values are read back as PostgreSQL text in a UTC, C-locale session.
/// </summary>
internal sealed class GoldenPipeline : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly KafkaFixture _kafka;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly NpgsqlDataSource _reader;
    private SinkRunner? _sink;

    private GoldenPipeline(KafkaFixture kafka, StoreHarness store, SinkOptions options, string topic)
    {
        _kafka = kafka;
        Store = store;
        Options = options;
        Topic = topic;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(kafka.ProducerConfig()).Build();
        _reader = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(store.ConnectionString)
        {
            Timezone = "UTC",
            Options = "-c lc_monetary=C -c DateStyle=ISO,MDY -c IntervalStyle=postgres",
        }.ConnectionString);
    }

    public StoreHarness Store { get; }

    public SinkOptions Options { get; }

    /// <summary>A unique topic named after the fixture's (the target table comes from <c>source.table</c>).</summary>
    public string Topic { get; }

    public int Produced { get; private set; }

    /// <summary>A fresh database (prepared by <paramref name="setUpSql"/>) and a topic for <paramref name="fixture"/>.</summary>
    public static async Task<GoldenPipeline> CreateAsync(PostgresFixture postgres, KafkaFixture kafka, GoldenFixture fixture, params string[] setUpSql)
    {
        var topic = kafka.CreateUniqueTopic(fixture.Topic, partitions: 1);
        var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        foreach (var sql in setUpSql)
        {
            await store.ExecuteAsync(sql);
        }

        var options = TestSinkOptions.For(store.ConnectionString, kafka, topic, "golden");
        if (fixture.Name.Contains(".noschema.", StringComparison.Ordinal))
        {
            // The schemaless fixtures were written in Debezium's own default modes.
            options.Schemaless = new SchemalessOptions { DecimalHandlingMode = "precise", IntervalHandlingMode = "numeric" };
        }

        kafka.CreateTopic(options.DeadLetterTopic, partitions: 1);
        return new GoldenPipeline(kafka, store, options, topic);
    }

    /// <summary>Produces the records in order (waiting for the broker's acks) without waiting for the worker.</summary>
    public void Produce(params GoldenRecord[] records)
    {
        foreach (var record in records)
        {
            _producer.Produce(Topic, new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value });
            Produced++;
        }

        _producer.Flush(Timeout);
    }

    /// <summary>
    /// Produces the records, starts the worker if it is not running, and waits until it has applied every record
    /// produced so far; fails if any record was dead-lettered (with the worker's reasons).
    /// </summary>
    public async Task ApplyAsync(params GoldenRecord[] records)
    {
        Produce(records);
        _sink ??= await SinkRunner.StartAsync(Options);
        var worker = _sink.Sink.Worker;
        await Wait.UntilAsync(() => Task.FromResult(worker.RecordsApplied >= Produced), Timeout, $"the worker to apply {Produced} records");
        Assert.Equal(Produced, worker.RecordsApplied);
        AssertNoDeadLetters();
    }

    /// <summary>Each row's columns as PostgreSQL text joined by <c>|</c> (SQL NULL as <c>NULL</c>).</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var command = _reader.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString())));
        }

        return rows;
    }

    /// <summary>Every column of one row as <c>column::text</c> (null for SQL NULL), by column name.</summary>
    public async Task<Dictionary<string, string?>> RowTextAsync(string table, string where)
    {
        var columns = await ColumnTypesAsync(table);
        var select = string.Join(", ", columns.Keys.Select(c => $"\"{c}\"::text"));
        await using var command = _reader.CreateCommand($"SELECT {select} FROM {table} WHERE {where}");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row of {table} where {where}");
        var row = columns.Keys.Select((c, i) => (c, reader.IsDBNull(i) ? null : reader.GetString(i))).ToDictionary(x => x.c, x => x.Item2);
        Assert.False(await reader.ReadAsync(), $"more than one row of {table} where {where}");
        return row;
    }

    /// <summary>The table's columns in order with <c>format_type</c> of each.</summary>
    public async Task<Dictionary<string, string>> ColumnTypesAsync(string table)
    {
        await using var command = _reader.CreateCommand(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0), reader.GetString(1));
        }

        return columns;
    }

    private void AssertNoDeadLetters()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(_kafka.ConsumerConfig()).Build();
        var partition = new TopicPartition(Options.DeadLetterTopic, 0);
        var high = consumer.QueryWatermarkOffsets(partition, Timeout).High.Value;
        if (high == 0)
        {
            return;
        }

        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var reasons = new List<string>();
        var deadline = TimeProvider.System.GetUtcNow() + Timeout;
        while (reasons.Count < high && TimeProvider.System.GetUtcNow() < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                reasons.Add(Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(DeadLetterPublisher.HeaderPrefix + "exception.message")));
            }
        }

        Assert.Fail($"{high} record(s) dead-lettered:\n{string.Join("\n", reasons)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }

        _producer.Dispose();
        await _reader.DisposeAsync();
        await Store.DisposeAsync();
    }
}
