using System.Diagnostics.Metrics;
using Cdc.Reconciler.Reporting;

namespace Cdc.Reconciler;

/// <summary>The reconciler's instruments (meter <c>Cdc.Reconciler</c>), served on <c>/metrics</c> with <c>--every</c>.</summary>
public sealed class ReconcilerMetrics : IDisposable
{
    public const string MeterName = "Cdc.Reconciler";

    private readonly Meter _meter = new(MeterName);
    private volatile Measurement<long>[] _drift = [];
    private readonly Counter<long> _repairs;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private long _lastSuccessUnix;
    private RunProgress? _progress;

    public ReconcilerMetrics()
    {
        _meter.CreateObservableGauge("cdc_reconcile_drift_rows", () => _drift, "{row}", "Rows that persisted as drift after the recheck in the last finished run, by table and kind (missing, extra, divergent): 0 again once a run finds none.");
        _repairs = _meter.CreateCounter<long>("cdc_reconcile_repairs", "{row}", "Rows repaired, by table and mode (direct, resnapshot).");
        _runs = _meter.CreateCounter<long>("cdc_reconcile_runs", "{run}", "Runs finished, by state.");
        _duration = _meter.CreateHistogram<double>("cdc_reconcile_run_duration_seconds", "s", "Wall time of one run.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 30, 60, 300, 900, 3600] });
        _meter.CreateObservableGauge("cdc_reconcile_last_success_timestamp_seconds", () => Interlocked.Read(ref _lastSuccessUnix), "s", "Unix time of the last run that completed.");
        _meter.CreateObservableGauge("cdc_reconcile_progress_ratio", () => _progress?.Fraction ?? 0, "1", "Share of the current run's rows compared so far.");
        _meter.CreateObservableGauge("cdc_reconcile_rows_compared", () => _progress?.RowsCompared ?? 0, "{row}", "Rows compared so far in the current run.");
    }

    public Meter Meter => _meter;

    public void Started(RunProgress progress) => _progress = progress;

    public void Finished(ReconcileResult result, DateTimeOffset now, string repairMode)
    {
        ArgumentNullException.ThrowIfNull(result);
        var drift = new List<Measurement<long>>();
        foreach (var table in result.Tables)
        {
            foreach (var kind in new[] { DriftKind.Missing, DriftKind.Extra, DriftKind.Divergent })
            {
                drift.Add(new(table.Findings.Count(f => f.Kind == kind), new("table", table.Table), new("kind", Names.Of(kind))));
            }

            _repairs.Add(table.Repaired, new("table", table.Table), new("mode", repairMode));
        }

        _drift = [.. drift];

        _runs.Add(1, new KeyValuePair<string, object?>("state", Names.Of(result.State)));
        _duration.Record(result.Duration.TotalSeconds);
        if (result.State == RunState.Completed)
        {
            Interlocked.Exchange(ref _lastSuccessUnix, now.ToUnixTimeSeconds());
        }
    }

    public void Dispose() => _meter.Dispose();
}
