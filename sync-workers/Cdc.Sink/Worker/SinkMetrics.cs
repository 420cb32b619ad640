using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Cdc.Sink.Worker;

/// <summary>The sink's instruments (meter <c>Cdc.Sink</c>), served on <c>/metrics</c> in Prometheus format.</summary>
public sealed class SinkMetrics : IDisposable
{
    public const string MeterName = "Cdc.Sink";

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] SizeBuckets = [1, 10, 100, 500, 1000, 5000, 10000, 20000, 50000];

    private readonly Meter _meter = new(MeterName);
    private readonly ConcurrentDictionary<(string Topic, int Partition), (long Records, double Seconds)> _lag = new();
    private int _circuitOpen;

    public SinkMetrics()
    {
        EventsApplied = _meter.CreateCounter<long>("cdc_sink_events_applied", "{event}", "Change events applied to the store, by target table and op.");
        Batches = _meter.CreateCounter<long>("cdc_sink_batches", "{batch}", "Batches (partition groups) the sink tried to apply.");
        BatchFailures = _meter.CreateCounter<long>("cdc_sink_batch_failures", "{batch}", "Batch attempts that failed (any reason); failures / batches is the failure ratio.");
        Retries = _meter.CreateCounter<long>("cdc_sink_retries", "{retry}", "Retries after transient store failures.");
        DeadLetters = _meter.CreateCounter<long>("cdc_sink_dead_letters", "{record}", "Records sent to the dead-letter topic, by source topic and stage.");
        Skipped = _meter.CreateCounter<long>("cdc_sink_records_skipped", "{record}", "Records with nothing to apply (tombstones, messages, heartbeats, ignored truncates).");
        BatchSize = _meter.CreateHistogram<long>("cdc_sink_batch_size", "{event}", "Records per applied batch.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets.Select(b => (long)b).ToArray() });
        ApplyDuration = _meter.CreateHistogram<double>("cdc_sink_apply_duration_seconds", "s", "Time to apply one batch (decode, plan, transaction).", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        EndToEndLatency = _meter.CreateHistogram<double>("cdc_sink_end_to_end_latency_seconds", "s", "From the source commit to the change applied in this store.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _meter.CreateObservableGauge("cdc_sink_circuit_open", () => Volatile.Read(ref _circuitOpen), "{state}", "1 while the store circuit is open and partitions are paused.");
        _meter.CreateObservableGauge("cdc_sink_consumer_lag_records", ObserveLag(l => l.Records), "{record}", "Records between the partition's high watermark and the next offset to apply.");
        _meter.CreateObservableGauge("cdc_sink_lag_seconds", ObserveLag(l => l.Seconds), "s", "Now minus the source commit time of the last change applied, per partition.");
    }

    /// <summary>This worker's meter: a process hosting several workers serves each its own.</summary>
    public Meter Meter => _meter;

    public Counter<long> EventsApplied { get; }

    public Counter<long> Batches { get; }

    public Counter<long> BatchFailures { get; }

    public Counter<long> Retries { get; }

    public Counter<long> DeadLetters { get; }

    public Counter<long> Skipped { get; }

    public Histogram<long> BatchSize { get; }

    public Histogram<double> ApplyDuration { get; }

    public Histogram<double> EndToEndLatency { get; }

    public bool CircuitOpen
    {
        get => Volatile.Read(ref _circuitOpen) == 1;
        set => Volatile.Write(ref _circuitOpen, value ? 1 : 0);
    }

    public void SetLag(string topic, int partition, long records, double seconds) => _lag[(topic, partition)] = (records, seconds);

    public void ForgetPartition(string topic, int partition) => _lag.TryRemove((topic, partition), out _);

    public void Dispose() => _meter.Dispose();

    private Func<IEnumerable<Measurement<double>>> ObserveLag(Func<(long Records, double Seconds), double> pick) =>
        () => _lag.Select(l => new Measurement<double>(
            pick(l.Value),
            new KeyValuePair<string, object?>("topic", l.Key.Topic),
            new KeyValuePair<string, object?>("partition", l.Key.Partition)));
}
