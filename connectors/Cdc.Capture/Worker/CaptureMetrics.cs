using System.Diagnostics.Metrics;
using Cdc.Capture.Source;

namespace Cdc.Capture.Worker;

/// <summary>The connector's instruments (meter <c>Cdc.Capture</c>), served on <c>/metrics</c> in Prometheus format.</summary>
public sealed class CaptureMetrics : IDisposable
{
    public const string MeterName = "Cdc.Capture";

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter = new(MeterName);
    private long _retainedWalBytes = -1;
    private double _lagSeconds;
    private long _confirmedLsn;
    private long _skippedPending;
    private readonly KeyValuePair<string, object?>[] _slotTag;
    private IReadOnlyList<InactiveSlot> _inactiveSlots = [];

    /// <param name="slot">The connector's replication slot: the <c>slot</c> label of <c>cdc_capture_slot_retained_wal_bytes</c>,
    /// the label postgres_exporter's <c>pg_slot_*</c> series carry too, so one alert rule reads either.</param>
    public CaptureMetrics(string slot)
    {
        _slotTag = [new("slot", slot)];
        Changes = _meter.CreateCounter<long>("cdc_capture_changes", "{change}", "Change events handed to Kafka, by table and op (r, c, u, d).");
        Heartbeats = _meter.CreateCounter<long>("cdc_capture_heartbeats", "{heartbeat}", "Heartbeat records acknowledged by Kafka.");
        AckLag = _meter.CreateHistogram<double>("cdc_capture_ack_lag_seconds", "s", "From a transaction's commit on the source to Kafka acknowledging all its records.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        Resnapshots = _meter.CreateCounter<long>("cdc_capture_resnapshots_requested", "{request}", "Incremental snapshots requested by the connector itself or through the Kafka signal channel, by table and reason (kafka-signal, new-table, skipped-row, schema-change).");
        RowsSkipped = _meter.CreateCounter<long>("cdc_capture_rows_skipped", "{row}", "Rows not sent (record over the size limit, or a value the decimal mode cannot carry), recorded in <prefix>.skipped-rows and re-read once that allows, by table and reason.");
        _meter.CreateObservableGauge("cdc_capture_rows_skipped_pending", () => Interlocked.Read(ref _skippedPending), "{row}", "Skipped rows not re-read yet at the last start: their reason is still there.");
        Reconnects = _meter.CreateCounter<long>("cdc_capture_reconnects", "{reconnect}", "Sessions restarted after a PostgreSQL or Kafka fault.");
        _meter.CreateObservableGauge("cdc_capture_lag_seconds", () => Volatile.Read(ref _lagSeconds), "s", "Now minus the commit time of the oldest change not yet acknowledged by Kafka; the last commit-to-ack delay when all are acknowledged.");
        _meter.CreateObservableGauge("cdc_capture_slot_retained_wal_bytes", ObserveRetained, "By", "WAL the replication slot holds on the primary (pg_current_wal_lsn - restart_lsn).");
        _meter.CreateObservableGauge("cdc_capture_inactive_slot_retained_wal_bytes", ObserveInactive, "By", "WAL each inactive replication slot on the server (not this connector's) holds, by slot: nothing consumes it until the slot is dropped.");
        _meter.CreateObservableGauge("cdc_capture_confirmed_lsn", () => Interlocked.Read(ref _confirmedLsn), "{lsn}", "The LSN last confirmed to PostgreSQL (everything before it is in Kafka).");
    }

    public Meter Meter => _meter;

    public Counter<long> Changes { get; }

    public Counter<long> Heartbeats { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> Resnapshots { get; }

    public Counter<long> RowsSkipped { get; }

    public long RowsSkippedPending
    {
        get => Interlocked.Read(ref _skippedPending);
        set => Interlocked.Exchange(ref _skippedPending, value);
    }

    public Histogram<double> AckLag { get; }

    /// <summary>Raised for each acknowledged transaction: commit-to-ack seconds and its record count (the benchmark listens).</summary>
    internal event Action<double, int>? TransactionAcknowledged;

    public double LagSeconds
    {
        get => Volatile.Read(ref _lagSeconds);
        set => Volatile.Write(ref _lagSeconds, value);
    }

    public long ConfirmedLsn
    {
        get => Interlocked.Read(ref _confirmedLsn);
        set => Interlocked.Exchange(ref _confirmedLsn, value);
    }

    public long? RetainedWalBytes
    {
        get => Interlocked.Read(ref _retainedWalBytes) is var v && v >= 0 ? v : null;
        set => Interlocked.Exchange(ref _retainedWalBytes, value ?? -1);
    }

    /// <summary>The server's inactive slots, other than this connector's, as last seen.</summary>
    internal IReadOnlyList<InactiveSlot> InactiveSlots
    {
        get => Volatile.Read(ref _inactiveSlots);
        set => Volatile.Write(ref _inactiveSlots, value);
    }

    public void Dispose() => _meter.Dispose();

    internal void Acknowledged(double seconds, int records)
    {
        LagSeconds = seconds;
        AckLag.Record(seconds);
        TransactionAcknowledged?.Invoke(seconds, records);
    }

    private IEnumerable<Measurement<long>> ObserveInactive() =>
        InactiveSlots.Select(s => new Measurement<long>(s.RetainedWalBytes, new KeyValuePair<string, object?>("slot", s.Name)));

    private IEnumerable<Measurement<long>> ObserveRetained()
    {
        if (RetainedWalBytes is { } bytes)
        {
            yield return new Measurement<long>(bytes, _slotTag);
        }
    }
}
