using Cdc.Benchmarks.Sink;
using Cdc.Reconciler;
using Cdc.Reconciler.Heal;
using Cdc.Sink;
using Cdc.Sink.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdc.Dev.Demo;

/// <summary>
/// One subsystem: its own PostgreSQL database (recreated empty, kept afterwards for inspection), and a real sink
/// worker (<see cref="SinkHost.StartAsync"/>) consuming the captured topics into it; it creates the tables from the
/// events' schemas.
/// </summary>
internal sealed class Subsystem : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private Task? _heal;

    private Subsystem(SubsystemMapping mapping, BenchDatabase database, int metricsPort)
    {
        Mapping = mapping;
        Database = database;
        MetricsPort = metricsPort;
    }

    public SubsystemMapping Mapping { get; }

    public string Name => Mapping.Name;

    public BenchDatabase Database { get; }

    public int MetricsPort { get; }

    public string DeadLetterTopic => $"{Name}.dlq";

    public RunningSink? Sink { get; private set; }

    /// <summary>The worker's configuration (its table mapping is what the reconciler compares through).</summary>
    public SinkOptions? Options { get; private set; }

    /// <summary>Recreates the subsystem's database, empty.</summary>
    public static async Task<Subsystem> CreateAsync(SubsystemMapping mapping, string admin, string databaseName, int metricsPort, CancellationToken ct) =>
        new(mapping, await BenchDatabase.RecreateAsync(admin, databaseName, ct), metricsPort);

    /// <summary>
    /// Builds the worker (which creates its <c>cdc</c> tables and serves <c>/metrics</c>) and runs it, with the heal
    /// worker beside it as <c>cdc sink --primary</c> runs one (docs/design.md#no-silent-loss).
    /// </summary>
    /// <param name="schemaRegistry">The registry's URL when the topics hold Avro; null for JSON.</param>
    public async Task StartAsync(string bootstrapServers, IReadOnlyList<string> topics, string ordersTopic, string? schemaRegistry, string primary, ILogger logger, CancellationToken ct)
    {
        var (defaults, tables) = Mapping.Rules(ordersTopic);
        var options = new SinkOptions
        {
            Store = Database.ConnectionString,
            MetricsPort = MetricsPort,
            Kafka = new KafkaOptions { BootstrapServers = bootstrapServers, GroupId = Name, Topics = [.. topics], DeadLetterTopic = DeadLetterTopic },
            Defaults = defaults,
            Tables = tables,
            Heal = { Primary = primary },
        };
        if (schemaRegistry is not null)
        {
            options.Format = SinkOptions.AvroFormat;
            options.SchemaRegistry[Cdc.Schemas.Registry.SchemaRegistrySettings.Url] = schemaRegistry;
        }

        Options = options;
        Sink = await SinkHost.StartAsync(options, logger, TimeProvider.System, ct);
        var sink = Sink;
        _run = Task.Run(() => sink.Worker.RunAsync(_stop.Token), CancellationToken.None);
        var heals = new HealWorker(new ReconcileOptions { Primary = primary, Store = options.Store, Sink = options }, new IndentedWriter(Console.Out, $"[{Name}] "));
        _heal = Task.Run(() => heals.RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <exception cref="InvalidOperationException">The worker stopped by itself.</exception>
    public void ThrowIfStopped()
    {
        if (_run is { IsCompleted: true } run && !_stop.IsCancellationRequested)
        {
            throw new InvalidOperationException($"the {Name} sink worker stopped: {run.Exception?.GetBaseException().Message ?? "it returned"}");
        }
    }

    /// <summary>Stops the worker as SIGTERM would (the batch in flight is committed), then releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (Exception) when (_run.IsCompleted)
            {
                // Cancelled, or already reported by ThrowIfStopped.
            }
        }

        if (_heal is not null)
        {
            await _heal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (Sink is not null)
        {
            await Sink.DisposeAsync();
        }

        await Database.DisposeAsync();
        _stop.Dispose();
    }
}
