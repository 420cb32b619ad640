using Cdc.Benchmarks.Sink;
using Cdc.Capture.Configuration;
using Cdc.DevKit;
using Cdc.DevKit.Kafka;
using Cdc.Registry;
using Cdc.Schemas.Registry;
using Microsoft.Extensions.Logging;

namespace Cdc.Dev.Demo;

/// <summary>
/// The whole pipeline on this machine, in this process: the primary database, the embedded Kafka (librdkafka's mock
/// cluster), with <c>--format avro</c> the embedded Schema Registry, the .NET source connector, and one sink worker per
/// subsystem into its own store. Used by the demo and by
/// <c>cdc bench e2e</c>. Disposing stops it and drops its replication slot and publication (the databases stay).
/// </summary>
internal sealed class LocalPipeline : IAsyncDisposable
{
    public const string TopicPrefix = "shop";
    private const int Partitions = 16;
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(120);

    private readonly List<Subsystem> _subsystems = [];

    private LocalPipeline(DemoOptions options, BenchDatabase primary, ShopWriter writer, MockCluster cluster)
    {
        Options = options;
        Primary = primary;
        Writer = writer;
        Cluster = cluster;
        Progress = new PipelineProgress(cluster.BootstrapServers, primary.DataSource, Slot, Publication, Topics);
    }

    public DemoOptions Options { get; }

    public BenchDatabase Primary { get; }

    /// <summary>The writer applications on the primary (which it seeded).</summary>
    public ShopWriter Writer { get; }

    public MockCluster Cluster { get; }

    /// <summary>The Schema Registry of an Avro run; null for JSON.</summary>
    public EmbeddedSchemaRegistry? Registry { get; private set; }

    public SourceConnector? Source { get; private set; }

    public IReadOnlyList<Subsystem> Subsystems => _subsystems;

    public PipelineProgress Progress { get; }

    public string Slot => $"{Options.DatabasePrefix}_slot";

    public string Publication => $"{Options.DatabasePrefix}_publication";

    public static IReadOnlyList<string> Topics { get; } = ShopSchema.Tables.Select(t => $"{TopicPrefix}.{t}").ToList();

    public static string OrdersTopic => $"{TopicPrefix}.public.{ShopSchema.Orders}";

    /// <summary>Creates and seeds the primary (<see cref="PrimaryDatabase.CreateSeededAsync"/>), then starts Kafka, the
    /// connector and the sinks.</summary>
    public static async Task<LocalPipeline> StartAsync(DemoOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        var (primary, writer) = await PrimaryDatabase.CreateSeededAsync(
            options.Postgres, $"{options.DatabasePrefix}_primary", $"{options.DatabasePrefix}_slot", options.Orders, options.Seed, ct);
        var cluster = MockCluster.Create(brokers: 3);
        var pipeline = new LocalPipeline(options, primary, writer, cluster);
        try
        {
            foreach (var topic in Topics)
            {
                cluster.CreateTopic(topic, Partitions);
            }

            var ports = MetricsPorts(options, 3);
            if (options.IsAvro)
            {
                pipeline.Registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: ct);
            }

            var capture = new CaptureOptions
            {
                Source = primary.ConnectionString,
                BootstrapServers = cluster.BootstrapServers,
                TopicPrefix = TopicPrefix,
                Tables = [.. ShopSchema.Tables],
                Slot = pipeline.Slot,
                Publication = pipeline.Publication,
                SignalTable = ShopSchema.SignalTable,
                MetricsPort = ports[0],
            };
            var registry = pipeline.Registry?.Url;
            if (registry is not null)
            {
                capture.Format = CaptureOptions.AvroFormat;
                capture.SchemaRegistry[SchemaRegistrySettings.Url] = registry;
            }

            pipeline.Source = await SourceConnector.StartAsync(capture, loggers.CreateLogger("cdc.capture"), ct);
            SubsystemMapping[] mappings = [SubsystemMapping.Risk, SubsystemMapping.Analytics];
            for (var i = 0; i < mappings.Length; i++)
            {
                var subsystem = await Subsystem.CreateAsync(mappings[i], options.Postgres, $"{options.DatabasePrefix}_{mappings[i].Name}", ports[i + 1], ct);
                pipeline._subsystems.Add(subsystem);
                cluster.CreateTopic(subsystem.DeadLetterTopic, 1);
                await subsystem.StartAsync(cluster.BootstrapServers, Topics, OrdersTopic, registry, primary.ConnectionString, loggers.CreateLogger($"cdc.sink.{mappings[i].Name}"), ct);
            }

            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every store has applied everything committed on the primary before the call.</summary>
    public Task CatchUpAsync(CancellationToken ct)
    {
        Source?.ThrowIfStopped();
        foreach (var subsystem in _subsystems)
        {
            subsystem.ThrowIfStopped();
        }

        return Progress.WaitCaughtUpAsync(_subsystems.Select(s => (s.Database.DataSource, s.Name)).ToList(), StallLimit, ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subsystem in _subsystems)
        {
            await subsystem.DisposeAsync();
        }

        if (Source is not null)
        {
            await Source.DisposeAsync();
        }

        // The databases stay for inspection; the slot would keep WAL on the server for good.
        await ReplicationCleanup.DropOrWarnAsync(Primary.ConnectionString, Slot, Publication, Console.Error);
        Progress.Dispose();
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }

        Cluster.Dispose();
        await Primary.DisposeAsync();
    }

    private static int[] MetricsPorts(DemoOptions options, int count)
    {
        if (options.MetricsPort > 0)
        {
            return Enumerable.Range(options.MetricsPort, count).ToArray();
        }

        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePort.Next());
        }

        return [.. ports];
    }
}
