using Cdc.Sink.Configuration;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// A fresh database and one-partition topics on the mock cluster for records a test writes by hand, a worker over
/// them, and what it dead-lettered. Offsets are counted per topic, so a test knows each record's offset.
/// </summary>
internal sealed class TopicBed : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly KafkaFixture _kafka;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly Dictionary<string, long> _produced = [];
    private SinkRunner? _sink;

    private TopicBed(KafkaFixture kafka, StoreHarness store, SinkOptions options)
    {
        _kafka = kafka;
        Store = store;
        Options = options;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(kafka.ProducerConfig()).Build();
    }

    public StoreHarness Store { get; }

    public SinkOptions Options { get; }

    public long Produced => _produced.Values.Sum();

    public SinkRunner Sink => _sink ?? throw new InvalidOperationException("the worker is not started");

    /// <summary>The worker once started, else null.</summary>
    public SinkRunner? Started => _sink;

    /// <param name="topics">Topics to create (one partition each); the worker subscribes to them all.</param>
    public static async Task<TopicBed> CreateAsync(PostgresFixture postgres, KafkaFixture kafka, params string[] topics)
    {
        var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        foreach (var topic in topics)
        {
            kafka.CreateTopic(topic, partitions: 1);
        }

        var options = TestSinkOptions.For(store.ConnectionString, kafka, topics[0], "hostile");
        options.Kafka.Topics = [.. topics];
        kafka.CreateTopic(options.DeadLetterTopic, partitions: 1);
        return new TopicBed(kafka, store, options);
    }

    /// <returns>The record's offset.</returns>
    public long Send(string topic, byte[]? key, byte[]? value)
    {
        _producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value });
        var offset = _produced.GetValueOrDefault(topic);
        _produced[topic] = offset + 1;
        return offset;
    }

    public long Send(byte[]? key, byte[]? value) => Send(Options.Kafka.Topics[0], key, value);

    /// <summary>Flushes, starts the worker if needed, and waits until it has passed every record sent.</summary>
    public async Task RunAsync(ILogger? logger = null)
    {
        _producer.Flush(Timeout);
        _sink ??= await SinkRunner.StartAsync(Options, logger);
        var worker = _sink.Sink.Worker;
        await Wait.UntilAsync(() => Task.FromResult(worker.RecordsApplied >= Produced), Timeout, $"the worker to pass {Produced} records");
    }

    public List<Message<byte[]?, byte[]?>> DeadLetters(int expected) =>
        Hostile.DeadLetters.Read(_kafka, Options.DeadLetterTopic, expected, Timeout);

    public async ValueTask DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }

        _producer.Dispose();
        await Store.DisposeAsync();
    }
}
