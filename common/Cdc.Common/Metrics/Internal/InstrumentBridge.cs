using System.Collections.Concurrent;
using Prometheus;

namespace Cdc.Common.Metrics.Internal;

/// <summary>
/// One <see cref="System.Diagnostics.Metrics.Instrument"/> as a prometheus-net collector under the name
/// <see cref="PrometheusNaming"/> gives it. The collector is created at the first measurement, per set of tag names (a
/// family may hold several), so a family appears only once it has a series, as an instrument that was never recorded
/// has none.
/// </summary>
internal sealed class InstrumentBridge(IMetricFactory factory, string name, string help, FamilyShape shape)
{
    private const int MaxRemembered = 1_024;

    /// <summary>Tags left out of the labels: Polly numbers each retry attempt, so a long outage would make one series per attempt.</summary>
    private static readonly HashSet<string> DroppedTags = new(StringComparer.Ordinal) { "attempt.number" };

    private readonly ConcurrentDictionary<string, Collector> _collectors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ChildBase, bool> _observed = new();

    // Series by their tags as recorded, so that recording one again skips the label work (the connector counts every
    // change). Observable families are left out: their series come and go with each observation.
    private readonly ConcurrentDictionary<TagSet, ChildBase> _labelled = new();
    private ChildBase? _unlabelled;
    private int _instruments;

    public string Name { get; } = name;

    public FamilyShape Shape { get; } = shape;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) && Shape.Additive)
        {
            return;
        }

        // A monotonic counter cannot go down; a negative increment would read as a counter reset.
        if (Shape is { Kind: MetricKind.Counter, Observable: false } && value < 0)
        {
            return;
        }

        var child = tags.IsEmpty ? Unlabelled() : Labelled(tags);
        if (Shape.Observable)
        {
            _observed[child] = true;
        }

        switch (child)
        {
            case Histogram.Child histogram:
                histogram.Observe(value);
                break;
            case Counter.Child counter when Shape.Observable:
                counter.IncTo(value);
                break;
            case Counter.Child counter:
                counter.Inc(value);
                break;
            case Gauge.Child gauge when Shape.Additive:
                gauge.Inc(value);
                break;
            case Gauge.Child gauge:
                gauge.Set(value);
                break;
            default:
                break;
        }
    }

    public void Attach() => Interlocked.Increment(ref _instruments);

    /// <summary>An instrument stopped (its meter was disposed): once none feeds this family, its series leave the exposition.</summary>
    public void Detach()
    {
        if (Interlocked.Decrement(ref _instruments) > 0)
        {
            return;
        }

        _unlabelled = null;
        _labelled.Clear();
        foreach (var child in _collectors.Values.SelectMany(Children).ToList())
        {
            child.Remove();
        }
    }

    /// <summary>Before an observable instrument is observed: forget which series it reported last time.</summary>
    public void BeginObservation() => _observed.Clear();

    /// <summary>After it was observed: series its callback no longer reports leave the exposition.</summary>
    public void EndObservation()
    {
        foreach (var collector in _collectors.Values)
        {
            foreach (var child in Children(collector).Where(c => !_observed.ContainsKey(c)).ToList())
            {
                if (ReferenceEquals(child, _unlabelled))
                {
                    _unlabelled = null;
                }

                child.Remove();
            }
        }
    }

    // Cached: the sink records its end-to-end latency once per event.
    private ChildBase Unlabelled() => _unlabelled ??= Child(_collectors.GetOrAdd(string.Empty, static (_, bridge) => bridge.Create([]), this), []);

    private ChildBase Labelled(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Shape.Observable || !TagSet.TryCreate(tags, out var set))
        {
            return Label(tags);
        }

        if (_labelled.TryGetValue(set, out var known))
        {
            return known;
        }

        var child = Label(tags);
        if (_labelled.Count < MaxRemembered)
        {
            _labelled.TryAdd(set, child);
        }

        return child;
    }

    private ChildBase Label(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Label names as Prometheus spells them, sorted; two tags that sanitize to one name share it ("a;b").
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (DroppedTags.Contains(tag.Key))
            {
                continue;
            }

            var label = PrometheusNaming.LabelName(tag.Key);
            if (Shape.Kind == MetricKind.Histogram && label == "le")
            {
                label = "_le";
            }

            var value = TagValue.Format(tag.Value);
            labels[label] = labels.TryGetValue(label, out var previous) ? $"{previous};{value}" : value;
        }

        if (labels.Count == 0)
        {
            return Unlabelled();
        }

        var names = labels.Keys.ToArray();
        var collector = _collectors.GetOrAdd(string.Join(',', names), static (_, state) => state.Bridge.Create(state.Names), (Bridge: this, Names: names));
        return Child(collector, labels.Values.ToArray());
    }

    // SuppressInitialValue: a series is published by its first measurement, never as a made-up 0 (a removed
    // unlabelled series would otherwise come back at 0 at the next scrape).
    private Collector Create(string[] labelNames) => Shape.Kind switch
    {
        MetricKind.Counter => factory.CreateCounter(Name, help, new CounterConfiguration { LabelNames = labelNames, SuppressInitialValue = true }),
        MetricKind.Histogram => factory.CreateHistogram(Name, help, new HistogramConfiguration { LabelNames = labelNames, Buckets = Shape.Bounds, SuppressInitialValue = true }),
        _ => factory.CreateGauge(Name, help, new GaugeConfiguration { LabelNames = labelNames, SuppressInitialValue = true }),
    };

    private static ChildBase Child(Collector collector, string[] labelValues) => collector switch
    {
        Counter c => c.WithLabels(labelValues),
        Gauge g => g.WithLabels(labelValues),
        Histogram h => h.WithLabels(labelValues),
        _ => throw new InvalidOperationException($"unexpected collector {collector.GetType().Name}"),
    };

    // GetAllLabelValues leaves out the unlabelled series: a collector without label names has only that one.
    private static IEnumerable<ChildBase> Children(Collector collector) =>
        collector.LabelNames.Length == 0
            ? [Child(collector, [])]
            : collector switch
            {
                Counter c => c.GetAllLabelValues().Select(v => (ChildBase)c.WithLabels(v)),
                Gauge g => g.GetAllLabelValues().Select(v => (ChildBase)g.WithLabels(v)),
                Histogram h => h.GetAllLabelValues().Select(v => (ChildBase)h.WithLabels(v)),
                _ => [],
            };
}
