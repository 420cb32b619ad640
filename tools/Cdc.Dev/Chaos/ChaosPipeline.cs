using System.Text.Json;
using Cdc.Benchmarks.Sink;
using Cdc.Benchmarks.Support;
using Cdc.Dev.Demo;
using Cdc.DevKit;
using Cdc.DevKit.Kafka;
using Cdc.Sink.Configuration;
using Cdc.Store.Mapping;

namespace Cdc.Dev.Chaos;

/// <summary>
/// The pipeline as production runs it, each component its own process: the source connector and one sink worker per
/// subsystem (<see cref="ChildComponent"/>), against the primary, the embedded Kafka (in this process, so its brokers
/// can be taken down) and the stores. Logs go to <see cref="LogDirectory"/>.
/// </summary>
internal sealed class ChaosPipeline : IAsyncDisposable
{
    public const int Partitions = 16;
    private const int Seed = 11;

    /// <summary>The sinks run with the product's defaults (session 10 s: a killed worker's partitions move after it).</summary>
    private static readonly Dictionary<string, string> SinkEnvironment = [];

    private ChaosPipeline(ChaosOptions options, BenchDatabase primary, ShopWriter writer, MockCluster cluster, string logDirectory)
    {
        Options = options;
        Primary = primary;
        Writer = writer;
        Cluster = cluster;
        LogDirectory = logDirectory;
        Progress = new PipelineProgress(cluster.BootstrapServers, primary.DataSource, Slot, Publication, LocalPipeline.Topics);
    }

    public ChaosOptions Options { get; }

    public BenchDatabase Primary { get; }

    /// <summary>The writer applications on the primary (which it seeded).</summary>
    public ShopWriter Writer { get; }

    public MockCluster Cluster { get; }

    public string LogDirectory { get; }

    public PipelineProgress Progress { get; }

    public string Slot => $"{Options.DatabasePrefix}_slot";

    public string Publication => $"{Options.DatabasePrefix}_publication";

    public ChildComponent? Capture { get; private set; }

    public List<(SubsystemMapping Mapping, BenchDatabase Store, SinkOptions Sink, ChildComponent Worker)> Sinks { get; } = [];

    /// <summary>Tables the faults created on the primary (compared at the end like the shop's).</summary>
    public List<string> ExtraTables { get; } = [];

    /// <summary>The capture's record limit at start; the oversize fault raises it to the default and restarts the connector.</summary>
    public const int InitialRecordLimit = 1 << 20;

    /// <summary>A further instance of a sink's group (same arguments), for the scale-out fault.</summary>
    public ChildComponent ExtraInstance(int sink, string suffix)
    {
        var (mapping, _, options, _) = Sinks[sink];
        return new ChildComponent($"{mapping.Name} sink {suffix}", SinkArguments(options, Path.Combine(LogDirectory, $"{mapping.Name}.json"), Primary.ConnectionString), SinkEnvironment, Path.Combine(LogDirectory, $"{mapping.Name}-{suffix}.log"));
    }

    public static async Task<ChaosPipeline> StartAsync(ChaosOptions options, CancellationToken ct)
    {
        var (primary, writer) = await PrimaryDatabase.CreateSeededAsync(
            options.Postgres, $"{options.DatabasePrefix}_primary", $"{options.DatabasePrefix}_slot", options.Orders, Seed, ct);
        var logs = Directory.CreateTempSubdirectory("cdc-chaos-").FullName;
        var pipeline = new ChaosPipeline(options, primary, writer, MockCluster.Create(brokers: 3), logs);
        try
        {
            foreach (var topic in LocalPipeline.Topics)
            {
                pipeline.Cluster.CreateTopic(topic, Partitions);
            }

            pipeline.Capture = new ChildComponent("source connector", CaptureArguments(pipeline), new Dictionary<string, string>(), Path.Combine(logs, "capture.log"));
            pipeline.Capture.Start();
            foreach (var mapping in new[] { SubsystemMapping.Risk, SubsystemMapping.Analytics })
            {
                var store = await BenchDatabase.RecreateAsync(options.Postgres, $"{options.DatabasePrefix}_{mapping.Name}", ct);
                var sink = SinkOptionsFor(mapping, store, pipeline.Cluster.BootstrapServers);
                pipeline.Cluster.CreateTopic(sink.DeadLetterTopic, 1);
                var config = Path.Combine(logs, $"{mapping.Name}.json");
                await File.WriteAllTextAsync(config, MappingJson(sink), ct);
                var worker = new ChildComponent($"{mapping.Name} sink", SinkArguments(sink, config, primary.ConnectionString), SinkEnvironment, Path.Combine(logs, $"{mapping.Name}.log"));
                worker.Start();
                pipeline.Sinks.Add((mapping, store, sink, worker));
            }

            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <exception cref="InvalidOperationException">A component exited by itself.</exception>
    public void ThrowIfExited()
    {
        Capture?.ThrowIfExited();
        foreach (var sink in Sinks)
        {
            sink.Worker.ThrowIfExited();
        }
    }

    public Task CatchUpAsync(TimeSpan stallLimit, CancellationToken ct)
    {
        ThrowIfExited();
        return Progress.WaitCaughtUpAsync(Sinks.Select(s => (s.Store.DataSource, s.Mapping.Name)).ToList(), stallLimit, ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sink in Sinks)
        {
            await sink.Worker.DisposeAsync();
            await sink.Store.DisposeAsync();
        }

        if (Capture is not null)
        {
            await Capture.DisposeAsync();
        }

        // The databases stay for inspection; the slot would keep WAL on the server for good.
        await ReplicationCleanup.DropOrWarnAsync(Primary.ConnectionString, Slot, Publication, Console.Error);
        Progress.Dispose();
        Cluster.Dispose();
        await Primary.DisposeAsync();
    }

    private static SinkOptions SinkOptionsFor(SubsystemMapping mapping, BenchDatabase store, string bootstrapServers)
    {
        var (defaults, tables) = mapping.Rules(LocalPipeline.OrdersTopic);
        return new SinkOptions
        {
            Store = store.ConnectionString,
            Kafka = new KafkaOptions { BootstrapServers = bootstrapServers, GroupId = mapping.Name, Topics = [.. LocalPipeline.Topics], DeadLetterTopic = $"{mapping.Name}.dlq" },
            Defaults = defaults,
            Tables = tables,
        };
    }

    /// <summary>The table mapping as the sink's configuration file holds it; the rest goes on the command line.</summary>
    private static string MappingJson(SinkOptions sink) => JsonSerializer.Serialize(new
    {
        Defaults = new { DeleteMode = sink.Defaults.DeleteMode?.ToString(), sink.Defaults.AutoCreate, sink.Defaults.AutoEvolve },
        Tables = sink.Tables.Select(t => new { t.Topic, t.Exclude }),
    });

    /// <summary>
    /// As an operator runs a sink that follows new tables and finishes its own heals: a topic pattern (a table created
    /// later is subscribed within seconds) and <c>--primary</c> (docs/design.md#no-silent-loss).
    /// </summary>
    private static string[] SinkArguments(SinkOptions sink, string config, string primary) =>
    [
        "sink", "--config", config, "--bootstrap-servers", sink.Kafka.BootstrapServers!, "--group", sink.Kafka.GroupId,
        "--topic-pattern", $"{LocalPipeline.TopicPrefix}\\.public\\..*", "--dead-letter-topic", sink.DeadLetterTopic, "--store", sink.Store!,
        "--primary", primary,
    ];

    /// <summary>Without --tables: every table with a replica identity, and every one created or given one later.</summary>
    private static string[] CaptureArguments(ChaosPipeline pipeline) =>
    [
        "capture", "--source", pipeline.Primary.ConnectionString, "--bootstrap-servers", pipeline.Cluster.BootstrapServers,
        "--topic-prefix", LocalPipeline.TopicPrefix, "--slot", pipeline.Slot,
        "--publication", pipeline.Publication, "--signal-table", ShopSchema.SignalTable,
        "--max-record-bytes", InitialRecordLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];
}
