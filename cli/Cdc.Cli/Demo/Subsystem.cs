using Cdc.Benchmarks.Sink;
using Cdc.Sink;
using Cdc.Sink.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdc.Cli.Demo;

/// <summary>
/// One subsystem: its own PostgreSQL database (recreated, kept afterwards for inspection) with its own
/// <c>public.orders</c>, and a real sink worker (<see cref="SinkHost.StartAsync"/>) consuming the orders topic into it.
/// </summary>
internal sealed class Subsystem : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

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

    /// <summary>Records the worker consumed and applied (or dead-lettered, or skipped) so far.</summary>
    public long Applied => Sink?.Worker.RecordsApplied ?? 0;

    /// <summary>Recreates the database, creates <c>public.orders</c> the way this subsystem maps it.</summary>
    public static async Task<Subsystem> CreateAsync(SubsystemMapping mapping, string admin, string databaseName, int metricsPort, CancellationToken ct)
    {
        var database = await BenchDatabase.RecreateAsync(admin, databaseName, ct);
        try
        {
            // The events carry no schemas (JSON converter, schemas.enable=false): the sink reads them against the
            // target table's column types, so the table is made with the primary's types.
            await database.ExecuteAsync(OrdersTable.Create(SubsystemMapping.Table, mapping.Excluded.ToList()), ct);
            return new Subsystem(mapping, database, metricsPort);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the worker (which creates its <c>cdc</c> tables and serves <c>/metrics</c>) and runs it.</summary>
    public async Task StartAsync(string bootstrapServers, string topic, ILogger logger, CancellationToken ct)
    {
        var options = new SinkOptions
        {
            Store = Database.ConnectionString,
            MetricsPort = MetricsPort,
            Kafka = new KafkaOptions { BootstrapServers = bootstrapServers, GroupId = Name, Topics = [topic], DeadLetterTopic = DeadLetterTopic },
            Tables = [Mapping.For(topic)],
        };
        Sink = await SinkHost.StartAsync(options, logger, TimeProvider.System, ct);
        var sink = Sink;
        _run = Task.Run(() => sink.Worker.RunAsync(_stop.Token), CancellationToken.None);
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

        if (Sink is not null)
        {
            await Sink.DisposeAsync();
        }

        await Database.DisposeAsync();
        _stop.Dispose();
    }
}
