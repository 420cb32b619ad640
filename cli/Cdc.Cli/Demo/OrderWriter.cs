using System.Diagnostics;
using Cdc.Benchmarks.Sink;
using Confluent.Kafka;

namespace Cdc.Cli.Demo;

/// <summary>
/// Stands in for the writer applications, the primary and the source connector (issue 4) at once: it draws the
/// writers' changes from <see cref="OrderWorkload"/> (the primary's final state is its model), commits each
/// statement as one transaction in a <see cref="SourceLog"/> at the real time of the commit, and hands the Debezium
/// events the connector would emit to a Kafka producer at once.
/// </summary>
internal sealed class OrderWriter : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;
    private readonly OrderEventJson _json = new();
    private readonly SourceLog _log = new();
    private readonly TimeProvider _time;
    private long _produced;
    private long _failed;
    private string? _firstError;

    public OrderWriter(string bootstrapServers, string topic, OrderWorkload workload, TimeProvider time)
    {
        // A short linger: the events of a commit leave within milliseconds, as a connector's would.
        _producer = new ProducerBuilder<byte[], byte[]>(WorkloadProducer.Config(bootstrapServers, lingerMs: 2)).Build();
        _topic = topic;
        Workload = workload;
        _time = time;
    }

    public OrderWorkload Workload { get; }

    /// <summary>Events handed to the producer so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    public long Transactions => _log.Transactions;

    /// <summary>One statement's changes, committed as one transaction now; returns the <see cref="Stopwatch"/>
    /// timestamp of the commit (taken just before its events are handed to the producer).</summary>
    public long Commit(IReadOnlyList<OrderChange> changes)
    {
        var committed = Stopwatch.GetTimestamp();
        foreach (var change in _log.Commit(changes, _time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            WorkloadProducer.Send(_producer, _topic, _json, change, OnDelivery);
            Interlocked.Increment(ref _produced);
        }

        ThrowIfFailed();
        return committed;
    }

    /// <summary>Single-row transactions from the workload's create/amend/cancel mix at <paramref name="rate"/> per
    /// second for <paramref name="duration"/>.</summary>
    public async Task RunSteadyAsync(int rate, TimeSpan duration, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            var due = (long)(rate * Math.Min(elapsed.TotalSeconds, duration.TotalSeconds));
            for (; sent < due; sent++)
            {
                Commit([Workload.Next()]);
            }

            if (elapsed >= duration)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), ct);
        }
    }

    /// <summary>Waits until every event handed over is acknowledged by the cluster.</summary>
    /// <exception cref="InvalidOperationException">An event was not delivered.</exception>
    public void Flush()
    {
        while (_producer.Flush(TimeSpan.FromSeconds(5)) > 0)
        {
            ThrowIfFailed();
        }

        ThrowIfFailed();
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }

    private void ThrowIfFailed()
    {
        if (Interlocked.Read(ref _failed) > 0)
        {
            throw new InvalidOperationException($"{Interlocked.Read(ref _failed)} events were not delivered to {_topic}: {_firstError}");
        }
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError && Interlocked.Increment(ref _failed) == 1)
        {
            _firstError = report.Error.Reason;
        }
    }
}
