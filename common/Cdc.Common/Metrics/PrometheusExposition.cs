using System.Diagnostics.Metrics;
using System.Text;
using Cdc.Common.Metrics.Internal;

namespace Cdc.Common.Metrics;

/// <summary>
/// Listens to <see cref="System.Diagnostics.Metrics"/> instruments and renders them in the Prometheus text exposition
/// format 0.0.4. By default it takes every meter whose name starts with <c>Cdc</c>, plus <c>Npgsql</c> and
/// <c>Polly</c>. Counters become <c>counter</c> (<c>_total</c>), up-down counters and gauges become <c>gauge</c>,
/// histograms become <c>histogram</c> with the instrument's advised bucket bounds (else defaults by unit: seconds,
/// bytes, or counts). Recording is lock-free; <see cref="Render"/> may be called from any thread.
/// </summary>
public sealed class PrometheusExposition : IDisposable
{
    /// <summary>The HTTP content type of <see cref="Render"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Func<Meter, bool> _meterFilter;
    private readonly MeterListener _listener;
    private readonly Lock _registryGate = new();
    private readonly Lock _scrapeGate = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);

    /// <param name="meterFilter">Which meters to expose; null for <see cref="IsDefaultMeter"/>.</param>
    public PrometheusExposition(Func<Meter, bool>? meterFilter = null)
    {
        _meterFilter = meterFilter ?? IsDefaultMeter;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<short>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => Record(state, (double)value, tags));
        _listener.Start();
    }

    /// <summary>Meters named <c>Cdc*</c>, <c>Npgsql</c> or <c>Polly</c>.</summary>
    public static bool IsDefaultMeter(Meter meter) =>
        meter.Name.StartsWith("Cdc", StringComparison.Ordinal) || meter.Name is "Npgsql" or "Polly";

    /// <summary>Collects observable instruments and returns the whole exposition, families ordered by name.</summary>
    public string Render()
    {
        lock (_scrapeGate)
        {
            MetricFamily[] families;
            lock (_registryGate)
            {
                families = _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
            }

            foreach (var family in families.Where(f => f.Shape.Observable))
            {
                family.Clear();
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception)
            {
                // A throwing callback loses only its own series: the listener observes every instrument before rethrowing.
            }

            var builder = new StringBuilder();
            foreach (var family in families)
            {
                family.Write(builder);
            }

            return builder.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        ((MetricFamily)state!).Record(value, tags);

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter) || InstrumentShapes.Describe(instrument) is not { } shape)
        {
            return;
        }

        var name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, shape.Kind);
        var help = string.IsNullOrWhiteSpace(instrument.Description)
            ? $"{instrument.Name} from meter {instrument.Meter.Name}"
            : instrument.Description;
        MetricFamily family;
        lock (_registryGate)
        {
            family = FindOrAddFamily(name, help, shape);
            family.Attach();
        }

        listener.EnableMeasurementEvents(instrument, family);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not MetricFamily family)
        {
            return;
        }

        lock (_registryGate)
        {
            if (family.Detach() == 0 && _families.TryGetValue(family.Name, out var current) && ReferenceEquals(current, family))
            {
                _families.Remove(family.Name);
            }
        }
    }

    private MetricFamily FindOrAddFamily(string name, string help, FamilyShape shape)
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = attempt == 1 ? name : Disambiguate(name, shape.Kind, attempt);
            if (!_families.TryGetValue(candidate, out var family))
            {
                family = shape.Kind == MetricKind.Histogram
                    ? new HistogramFamily(candidate, help, shape)
                    : new ScalarFamily(candidate, help, shape);
                _families.Add(candidate, family);
                return family;
            }

            if (family.Shape.Equals(shape))
            {
                return family;
            }
        }
    }

    /// <summary>Two instruments of different types under one name: the later one gets <c>_2</c> (before <c>_total</c>).</summary>
    private static string Disambiguate(string name, MetricKind kind, int attempt) =>
        kind == MetricKind.Counter ? $"{name[..^"_total".Length]}_{attempt}_total" : $"{name}_{attempt}";
}
