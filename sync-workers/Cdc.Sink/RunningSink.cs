using Cdc.Sink.Worker;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.Sink;

/// <summary>A built sink worker and the resources it owns.</summary>
public sealed class RunningSink(SinkWorker worker, NpgsqlDataSource store, IProducer<byte[]?, byte[]?> deadLetterProducer, SinkMetrics metrics) : IAsyncDisposable
{
    public SinkWorker Worker { get; } = worker;

    public SinkMetrics Metrics { get; } = metrics;

    public async ValueTask DisposeAsync()
    {
        deadLetterProducer.Flush(TimeSpan.FromSeconds(10));
        deadLetterProducer.Dispose();
        Metrics.Dispose();
        await store.DisposeAsync();
    }
}
