using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Cdc.Common.Metrics.Internal;
using Prometheus;

namespace Cdc.Common.Metrics;

/// <summary>
/// Publishes <see cref="System.Diagnostics.Metrics"/> instruments in a prometheus-net <see cref="CollectorRegistry"/> of
/// its own, which <see cref="MetricsServer"/> serves through prometheus-net's handler. By default it takes every meter
/// whose name starts with <c>Cdc</c>, plus <c>Npgsql</c> and <c>Polly</c>. Counters become <c>counter</c> (<c>_total</c>),
/// up-down counters and gauges <c>gauge</c>, histograms <c>histogram</c> with the instrument's advised bucket bounds
/// (else defaults by unit: seconds, bytes, or counts).
/// <para>
/// Why not prometheus-net's own <c>MeterAdapter</c>: it prefixes every name with its meter's
/// (<c>cdc_sink_cdc_sink_events_applied</c>), exports counters as gauges without <c>_total</c>, and feeds one registry
/// for the whole process. The names here are the ones the alert rules, their tests and the dashboard read
/// (<see cref="PrometheusNaming"/>), and a process hosting several components (the demo) serves each its own registry.
/// </para>
/// </summary>
public sealed class PrometheusExposition : IDisposable
{
    /// <summary>The content type <c>/metrics</c> answers with (text format 0.0.4).</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Func<Meter, bool> _meterFilter;
    private readonly MeterListener _listener;
    private readonly IMetricFactory _factory;
    private readonly ConcurrentDictionary<string, InstrumentBridge> _bridges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Instrument, InstrumentBridge> _observable = new();
    private readonly Lock _observeGate = new();
    private volatile bool _disposed;

    /// <param name="meterFilter">Which meters to expose; null for <see cref="IsDefaultMeter"/>.</param>
    public PrometheusExposition(Func<Meter, bool>? meterFilter = null)
    {
        _meterFilter = meterFilter ?? IsDefaultMeter;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished, MeasurementsCompleted = OnMeasurementsCompleted };
        _listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<short>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => Record(state, (double)value, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(ObserveInstruments);
    }

    /// <summary>The prometheus-net registry the instruments are published in (what <c>/metrics</c> serves).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Meters named <c>Cdc*</c>, <c>Npgsql</c> or <c>Polly</c>.</summary>
    public static bool IsDefaultMeter(Meter meter) =>
        meter.Name.StartsWith("Cdc", StringComparison.Ordinal) || meter.Name is "Npgsql" or "Polly";

    /// <summary>The exposition as <c>/metrics</c> serves it (observable instruments collected now).</summary>
    public async Task<string> RenderAsync(CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        ((InstrumentBridge)state!).Record(value, tags);

    private void ObserveInstruments()
    {
        // The registry has no way to remove this callback: a disposed exposition just stops observing.
        if (_disposed)
        {
            return;
        }

        lock (_observeGate)
        {
            var bridges = _observable.Values.Distinct().ToList();
            foreach (var bridge in bridges)
            {
                bridge.BeginObservation();
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception)
            {
                // A throwing callback loses only its own series: the listener observes every instrument before rethrowing.
            }

            foreach (var bridge in bridges)
            {
                bridge.EndObservation();
            }
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter) || InstrumentShapes.Describe(instrument) is not { } shape)
        {
            return;
        }

        var name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, shape.Kind);
        var help = PrometheusNaming.Help(string.IsNullOrWhiteSpace(instrument.Description) ? $"{instrument.Name} from meter {instrument.Meter.Name}" : instrument.Description);
        var bridge = FindOrAddBridge(name, help, shape);
        bridge.Attach();
        if (shape.Observable)
        {
            _observable[instrument] = bridge;
        }

        listener.EnableMeasurementEvents(instrument, bridge);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        lock (_observeGate)
        {
            _observable.TryRemove(instrument, out _);
            (state as InstrumentBridge)?.Detach();
        }
    }

    /// <summary>Instruments with one Prometheus name share a bridge when their shapes agree; a later one of another
    /// shape gets <c>_2</c> (before <c>_total</c>), since one name cannot be two types.</summary>
    private InstrumentBridge FindOrAddBridge(string name, string help, FamilyShape shape)
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = attempt == 1 ? name
                : shape.Kind == MetricKind.Counter ? $"{name[..^"_total".Length]}_{attempt}_total"
                : $"{name}_{attempt}";
            var bridge = _bridges.GetOrAdd(candidate, static (n, s) => new InstrumentBridge(s.Factory, n, s.Help, s.Shape), (Factory: _factory, Help: help, Shape: shape));
            if (bridge.Shape.Equals(shape))
            {
                return bridge;
            }
        }
    }
}
