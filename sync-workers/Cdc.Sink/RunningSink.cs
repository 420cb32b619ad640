using Cdc.Common.Metrics;
using Cdc.Sink.Worker;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.Sink;

/// <summary>A built sink worker, its <c>/metrics</c> endpoint, and the resources it owns.</summary>
public sealed class RunningSink : IAsyncDisposable
{
    private readonly NpgsqlDataSource _store;
    private readonly IProducer<byte[]?, byte[]?> _deadLetterProducer;
    private readonly PrometheusExposition _exposition;
    private readonly IDisposable? _schemaRegistry;
    private readonly IDisposable _incarnations;

    internal RunningSink(SinkWorker worker, NpgsqlDataSource store, IProducer<byte[]?, byte[]?> deadLetterProducer, SinkMetrics metrics, MetricsServer server, PrometheusExposition exposition, IDisposable? schemaRegistry, IDisposable incarnations)
    {
        _incarnations = incarnations;
        Worker = worker;
        Metrics = metrics;
        Server = server;
        _store = store;
        _deadLetterProducer = deadLetterProducer;
        _exposition = exposition;
        _schemaRegistry = schemaRegistry;
    }

    public SinkWorker Worker { get; }

    internal SinkMetrics Metrics { get; }

    /// <summary>Serves <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> when a metrics port is configured.</summary>
    public MetricsServer Server { get; }

    public async ValueTask DisposeAsync()
    {
        await Worker.LeaveUnlessRunAsync();
        await Server.DisposeAsync();
        _exposition.Dispose();
        _schemaRegistry?.Dispose();
        _incarnations.Dispose();
        _deadLetterProducer.Flush(TimeSpan.FromSeconds(10));
        _deadLetterProducer.Dispose();
        Metrics.Dispose();
        await _store.DisposeAsync();
    }
}
