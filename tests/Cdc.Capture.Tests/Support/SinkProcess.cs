using Cdc.Sink;
using Cdc.Sink.Configuration;
using Cdc.Testing;

namespace Cdc.Capture.Tests.Support;

/// <summary>The real sink worker, in process, applying the capture's topics to a store database.</summary>
internal sealed class SinkProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly RunningSink _sink;
    private readonly Task _run;

    private SinkProcess(RunningSink sink)
    {
        _sink = sink;
        _run = Task.Run(() => sink.Worker.RunAsync(_stop.Token));
    }

    public static Task<SinkProcess> StartAsync(string store, KafkaFixture kafka, params string[] topics) => StartAsync(store, kafka, null, null, topics);

    public static Task<SinkProcess> StartAsync(string store, KafkaFixture kafka, Microsoft.Extensions.Logging.ILogger logger, params string[] topics) => StartAsync(store, kafka, null, logger, topics);

    public static Task<SinkProcess> StartAvroAsync(string store, KafkaFixture kafka, string schemaRegistry, params string[] topics) => StartAsync(store, kafka, schemaRegistry, null, topics);

    /// <param name="schemaRegistry">Non-null: the topics are Avro (AvroConverter framing) through this registry.</param>
    private static async Task<SinkProcess> StartAsync(string store, KafkaFixture kafka, string? schemaRegistry, Microsoft.Extensions.Logging.ILogger? logger, string[] topics)
    {
        var options = new SinkOptions
        {
            Store = store,
            Kafka =
            {
                BootstrapServers = kafka.BootstrapServers,
                GroupId = KafkaFixture.UniqueName("capture-sink"),
                Topics = [.. topics],
            },
        };
        if (schemaRegistry is not null)
        {
            options.Format = SinkOptions.AvroFormat;
            options.SchemaRegistry[Cdc.Schemas.Registry.SchemaRegistrySettings.Url] = schemaRegistry;
        }

        return new SinkProcess(await SinkHost.StartAsync(options, logger ?? TestLogging.Logger("sink"), TimeProvider.System, CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // WhenAny: how the run ended is not this disposal's business, only that it did.
        await Wait.ForAsync(Task.WhenAny(_run), TimeSpan.FromSeconds(90), "the sink worker to stop (drain its batch and leave its group)");
        await _sink.DisposeAsync();
        _stop.Dispose();
    }
}
