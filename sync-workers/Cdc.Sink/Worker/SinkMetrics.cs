using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Cdc.Sink.Worker;

/// <summary>
/// The sink's instruments (meter <c>Cdc.Sink</c>), served on <c>/metrics</c> in Prometheus format. Every name,
/// its meaning and the alerts built on it: README.md ("Operating Cdc") and deploy/prometheus/rules/.
/// </summary>
internal sealed class SinkMetrics : IDisposable
{
    public const string MeterName = "Cdc.Sink";

    /// <summary>10 ms to 60 s, the range the end-to-end latency SLO and the lag alerts care about.</summary>
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly long[] SizeBuckets = [1, 10, 100, 500, 1000, 5000, 10000, 20000, 50000];

    private readonly Meter _meter = new(MeterName);
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionLag> _lag = new();
    private int _circuitOpen;
    private long _watermarkLsn = -1;
    private long _transactionsOverSla;
    private long _transactionsPartialFailure;
    private long _oldestOpenCommitMs = -1;
    private long _recordsProcessed;
    private long _recordsFailed;
    private long _healsOpen;
    private long _transactionsIncomplete;
    private long _bufferedEvents;

    public SinkMetrics(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        EventsApplied = _meter.CreateCounter<long>("cdc_sink_events_applied", "{event}", "Change events applied to the store, by target table and op.");
        // Observable, so both series exist (at 0) from the first scrape: increase() and rate() then see the first failure.
        _meter.CreateObservableCounter("cdc_sink_records_processed", () => Interlocked.Read(ref _recordsProcessed), "{record}", "Records finished with: applied, skipped or dead-lettered (each once, when its batch commits).");
        _meter.CreateObservableCounter("cdc_sink_records_failed", () => Interlocked.Read(ref _recordsFailed), "{record}", "Records that could not be applied (dead-lettered); failed / processed is the failure ratio.");
        Batches = _meter.CreateCounter<long>("cdc_sink_batches", "{batch}", "Batches (partition groups) applied.");
        BatchFailures = _meter.CreateCounter<long>("cdc_sink_batch_failures", "{batch}", "Batch attempts that failed after the in-place retries (store or registry down); each pauses the partitions.");
        Retries = _meter.CreateCounter<long>("cdc_sink_retries", "{retry}", "Retries after transient store failures.");
        DeadLetters = _meter.CreateCounter<long>("cdc_sink_dead_letters", "{record}", "Records sent to the dead-letter topic, by source topic and stage.");
        Skipped = _meter.CreateCounter<long>("cdc_sink_records_skipped", "{record}", "Records with nothing to apply (tombstones, messages, heartbeats, ignored truncates).");
        Released = _meter.CreateCounter<long>("cdc_sink_records_released", "{record}", "Records read but not applied because a rebalance revoked their partitions (the next owner re-reads them from the stored offsets), by stage (pending, in_flight).");
        Superseded = _meter.CreateCounter<long>("cdc_sink_events_superseded", "{event}", "Change events not applied because the store (or the batch) already held a newer or equal change of their row, by target table.");
        BatchSize = _meter.CreateHistogram<long>("cdc_sink_batch_size", "{event}", "Records per applied batch.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        ApplyDuration = _meter.CreateHistogram<double>("cdc_sink_apply_duration_seconds", "s", "Time to apply one batch (decode, plan, transaction).", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        EndToEndLatency = _meter.CreateHistogram<double>("cdc_sink_end_to_end_latency_seconds", "s", "From the source commit to the change applied in this store.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        Gaps = _meter.CreateCounter<long>("cdc_sink_gaps", "{gap}", "Gaps found in the stream (records never read: log start passed the stored offset, or the topic was recreated), by topic and reason.");
        GapRecords = _meter.CreateCounter<long>("cdc_sink_gap_records", "{record}", "Records known to be lost in gaps, by topic (a recreated topic's count is unknown and not added).");
        HealsRequested = _meter.CreateCounter<long>("cdc_sink_heals_requested", "{heal}", "Re-snapshots of a table requested from the source connector through its Kafka signal topic, by table.");
        _meter.CreateObservableGauge("cdc_sink_heals_open", () => Interlocked.Read(ref _healsOpen), "{heal}", "Heal requests of this group not healed yet (requested, signalled, healing, or failed).");
        _meter.CreateObservableGauge("cdc_sink_circuit_open", () => Volatile.Read(ref _circuitOpen), "{state}", "1 while the store circuit is open and partitions are paused.");
        _meter.CreateObservableGauge("cdc_sink_consumer_lag_records", ObserveRecords, "{record}", "Records between the partition's high watermark and the next offset to apply.");
        _meter.CreateObservableGauge("cdc_sink_lag_seconds", ObserveSeconds, "s", "Now minus the source commit time of the last change applied, per partition (0 when caught up).");
        TransactionsFinished = _meter.CreateCounter<long>("cdc_sink_transactions", "{transaction}", "Source transactions finished with in this store, by final state (COMPLETED, PARTIAL_FAILURE).");
        // Observable, so both exist (at 0) from the first scrape and their alerts see the first increase.
        _meter.CreateObservableCounter("cdc_sink_transactions_over_sla", () => Interlocked.Read(ref _transactionsOverSla), "{transaction}", "Source transactions that became wholly visible here later than the SLA after their commit.");
        _meter.CreateObservableCounter("cdc_sink_transactions_partial_failure", () => Interlocked.Read(ref _transactionsPartialFailure), "{transaction}", "Source transactions that ended PARTIAL_FAILURE: some of their events were dead-lettered.");
        TransactionsEvaluated = _meter.CreateCounter<long>("cdc_sink_transactions_evaluated", "{transaction}", "Open source transactions the tracker re-evaluated: each tick those that changed (scope changed), every 5 s all of them (scope all).");
        TransactionDuration = _meter.CreateHistogram<double>("cdc_sink_transaction_duration_seconds", "s", "From a source transaction's commit to its last event visible in this store.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _meter.CreateObservableCounter("cdc_sink_transactions_applied_incomplete", () => Interlocked.Read(ref _transactionsIncomplete), "{transaction}", "--consistency transaction: source transactions applied before they were complete here (END or events never came, --transaction-wait passed, or over --transaction-buffer); the log names each and why.");
        _meter.CreateObservableGauge("cdc_sink_transaction_buffer_events", () => Interlocked.Read(ref _bufferedEvents), "{event}", "--consistency transaction: events held until their source transaction is complete here.");
        _meter.CreateObservableGauge("cdc_sink_watermark_lsn", ObserveWatermark, "{lsn}", "Every source transaction committed at or below this LSN is finished with in this store.");
        _meter.CreateObservableGauge("cdc_sink_freshness_seconds", ObserveFreshness, "s", "Now minus the commit time of the oldest source transaction not yet finished with here; 0 when none.");
    }

    /// <summary>This worker's meter: a process hosting several workers serves each its own.</summary>
    public Meter Meter => _meter;

    public Counter<long> EventsApplied { get; }

    public Counter<long> Batches { get; }

    public Counter<long> BatchFailures { get; }

    public Counter<long> Retries { get; }

    public Counter<long> DeadLetters { get; }

    public Counter<long> Skipped { get; }

    public Counter<long> Released { get; }

    public Counter<long> Superseded { get; }
    public Counter<long> Gaps { get; }

    public Counter<long> GapRecords { get; }

    public Counter<long> HealsRequested { get; }

    public long HealsOpen
    {
        get => Interlocked.Read(ref _healsOpen);
        set => Interlocked.Exchange(ref _healsOpen, value);
    }

    public Histogram<long> BatchSize { get; }

    public Histogram<double> ApplyDuration { get; }

    public Histogram<double> EndToEndLatency { get; }

    public Counter<long> TransactionsFinished { get; }

    public Counter<long> TransactionsEvaluated { get; }

    public void CountOverSla() => Interlocked.Increment(ref _transactionsOverSla);

    public void CountPartialFailure() => Interlocked.Increment(ref _transactionsPartialFailure);

    public void CountAppliedIncomplete() => Interlocked.Increment(ref _transactionsIncomplete);

    public long BufferedEvents
    {
        set => Interlocked.Exchange(ref _bufferedEvents, value);
    }

    public Histogram<double> TransactionDuration { get; }

    /// <summary>The last watermark evaluated, and the commit time of the oldest open transaction (null: none).</summary>
    public void SetWatermark(long? lsn, DateTimeOffset? oldestOpenCommit)
    {
        Interlocked.Exchange(ref _watermarkLsn, lsn ?? -1);
        Interlocked.Exchange(ref _oldestOpenCommitMs, oldestOpenCommit?.ToUnixTimeMilliseconds() ?? -1);
    }

    public bool CircuitOpen
    {
        get => Volatile.Read(ref _circuitOpen) == 1;
        set => Volatile.Write(ref _circuitOpen, value ? 1 : 0);
    }

    /// <summary>
    /// The partition's lag in records, and the source commit time (ms) of the newest change applied, when known.
    /// Lag in seconds is computed when scraped, so it keeps growing while nothing is applied (a stalled or paused
    /// worker), instead of freezing at the last batch's value.
    /// </summary>
    public void SetLag(string topic, int partition, long records, long? lastAppliedSourceTsMs) =>
        _lag.AddOrUpdate(
            (topic, partition),
            _ => new PartitionLag(records, lastAppliedSourceTsMs),
            (_, old) => new PartitionLag(records, lastAppliedSourceTsMs ?? old.LastAppliedSourceTsMs));

    public void CountProcessed(long records) => Interlocked.Add(ref _recordsProcessed, records);

    public void CountFailed() => Interlocked.Increment(ref _recordsFailed);

    public void ForgetPartition(string topic, int partition) => _lag.TryRemove((topic, partition), out _);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveWatermark()
    {
        if (Interlocked.Read(ref _watermarkLsn) is var lsn and >= 0)
        {
            yield return new Measurement<long>(lsn);
        }
    }

    private double ObserveFreshness() =>
        Interlocked.Read(ref _oldestOpenCommitMs) is var oldest and >= 0 ? Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds() - oldest) / 1000.0 : 0;

    private IEnumerable<Measurement<long>> ObserveRecords() =>
        _lag.Select(l => new Measurement<long>(l.Value.Records, Labels(l.Key)));

    private IEnumerable<Measurement<double>> ObserveSeconds()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (partition, lag) in _lag)
        {
            if (lag.Records == 0)
            {
                yield return new Measurement<double>(0, Labels(partition));
            }
            else if (lag.LastAppliedSourceTsMs is { } ts)
            {
                yield return new Measurement<double>(Math.Max(0, now - ts) / 1000.0, Labels(partition));
            }
        }
    }

    private static KeyValuePair<string, object?>[] Labels((string Topic, int Partition) key) =>
        [new("topic", key.Topic), new("partition", key.Partition)];

    private sealed record PartitionLag(long Records, long? LastAppliedSourceTsMs);
}
