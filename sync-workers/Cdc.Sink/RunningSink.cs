using Cdc.Common.Metrics;
using Cdc.Sink.Worker;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.Sink;

/// <summary>A built sink worker, its <c>/metrics</c> endpoint, and the resources it owns.</summary>
public sealed class RunningSink(SinkWorker worker, NpgsqlDataSource store, IProducer<byte[]?, byte[]?> deadLetterProducer, SinkMetrics metrics, MetricsServer server, PrometheusExposition exposition, IDisposable? schemaRegistry) : IAsyncDisposable
{
    public SinkWorker Worker { get; } = worker;

    public SinkMetrics Metrics { get; } = metrics;

    /// <summary>Serves <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> when a metrics port is configured.</summary>
    public MetricsServer Server { get; } = server;

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        exposition.Dispose();
        schemaRegistry?.Dispose();
        deadLetterProducer.Flush(TimeSpan.FromSeconds(10));
        deadLetterProducer.Dispose();
        Metrics.Dispose();
        await store.DisposeAsync();
    }
}
