namespace Cdc.Deploy.Tests.Support;

/// <summary>
/// The metric names the rules and the dashboard may read. Each is checked against its component's exposition with
/// every instrument recorded (<see cref="Prometheus.ExpositionGoldenTests"/>); the sink's also against a running
/// sink's (<see cref="Prometheus.SinkAlertEndToEndTests"/>), but for <see cref="SinkAfterAGap"/>.
/// </summary>
internal static class MetricCatalog
{
    public static readonly string[] Sink =
    [
        "cdc_sink_events_applied_total",
        "cdc_sink_records_processed_total",
        "cdc_sink_records_failed_total",
        "cdc_sink_records_skipped_total",
        "cdc_sink_batches_total",
        "cdc_sink_batch_failures_total",
        "cdc_sink_retries_total",
        "cdc_sink_dead_letters_total",
        "cdc_sink_batch_size",
        "cdc_sink_apply_duration_seconds",
        "cdc_sink_end_to_end_latency_seconds",
        "cdc_sink_circuit_open",
        "cdc_sink_consumer_lag_records",
        "cdc_sink_lag_seconds",
        "cdc_sink_transactions_over_sla_total",
        "cdc_sink_transactions_partial_failure_total",
        "cdc_sink_transactions_applied_incomplete_total",
        "cdc_sink_transaction_buffer_events",
        "cdc_sink_freshness_seconds",
        "cdc_sink_gaps_total",
        "cdc_sink_gap_records_total",
        "cdc_sink_heals_requested_total",
        "cdc_sink_heals_open",
    ];

    /// <summary>Sink counters a running sink serves only once it found a gap in its stream (labelled by topic or table).</summary>
    public static readonly string[] SinkAfterAGap = ["cdc_sink_gaps_total", "cdc_sink_gap_records_total", "cdc_sink_heals_requested_total"];

    public static readonly string[] Capture =
    [
        "cdc_capture_changes_total",
        "cdc_capture_lag_seconds",
        "cdc_capture_slot_retained_wal_bytes",
        "cdc_capture_inactive_slot_retained_wal_bytes",
        "cdc_capture_heartbeats_total",
        "cdc_capture_rows_skipped_total",
        "cdc_capture_rows_skipped_pending",
        "cdc_capture_resnapshots_requested_total",
    ];

    public static readonly string[] Reconciler =
    [
        "cdc_reconcile_drift_rows",
        "cdc_reconcile_repairs_total",
        "cdc_reconcile_run_duration_seconds",
        "cdc_reconcile_last_success_timestamp_seconds",
        "cdc_reconcile_progress_ratio",
    ];

    public static readonly string[] Histograms = ["cdc_sink_batch_size", "cdc_sink_apply_duration_seconds", "cdc_sink_end_to_end_latency_seconds", "cdc_reconcile_run_duration_seconds"];

    /// <summary>A series name (histogram series included) reduced to its family; null when no component exports it.</summary>
    public static string? Family(string series)
    {
        var all = Sink.Concat(Capture).Concat(Reconciler).ToHashSet();
        if (all.Contains(series))
        {
            return series;
        }

        return Histograms.FirstOrDefault(h => series == h + "_bucket" || series == h + "_sum" || series == h + "_count");
    }
}
