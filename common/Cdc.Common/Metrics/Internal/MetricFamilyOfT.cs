using System.Collections.Concurrent;
using System.Text;

namespace Cdc.Common.Metrics.Internal;

/// <summary>The series store shared by scalar and histogram families.</summary>
internal abstract class MetricFamily<TSeries> : MetricFamily
    where TSeries : MetricSeries
{
    private readonly ConcurrentDictionary<SeriesKey, TSeries> _series = new(SeriesKeyComparer.Instance);
    private readonly ConcurrentDictionary<SeriesKey, TSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly string? _reservedLabel;

    protected MetricFamily(string name, string help, FamilyShape shape, string? reservedLabel)
        : base(name, help, shape)
    {
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        _reservedLabel = reservedLabel;
    }

    public override void Clear() => _series.Clear();

    protected TSeries GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        while (true)
        {
            if (_lookup.TryGetValue(tags, out var existing))
            {
                return existing;
            }

            var created = CreateSeries(LabelText(tags));
            if (_lookup.TryAdd(tags, created))
            {
                return created;
            }
        }
    }

    protected abstract TSeries CreateSeries(string labels);

    /// <summary>Series in label order, for stable output. Enumerating the dictionary (not <c>.Values</c>) takes no
    /// locks, so recording never waits for a scrape.</summary>
    protected TSeries[] Snapshot() =>
        _series.Select(pair => pair.Value).OrderBy(s => s.Labels, StringComparer.Ordinal).ToArray();

    /// <summary><c>name{labels}</c>, with <paramref name="extra"/> (<c>le="0.1"</c>) appended to the labels.</summary>
    protected static void AppendSample(StringBuilder builder, string name, string labels, string? extra, string value)
    {
        builder.Append(name);
        if (labels.Length > 0 || extra is not null)
        {
            builder.Append('{').Append(labels);
            if (extra is not null)
            {
                builder.Append(labels.Length > 0 ? "," : string.Empty).Append(extra);
            }

            builder.Append('}');
        }

        builder.Append(' ').Append(value).Append('\n');
    }

    private string LabelText(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var name = PrometheusNaming.LabelName(tag.Key);
            if (name == _reservedLabel)
            {
                name = "_" + name;
            }

            var value = TagValue.Format(tag.Value);
            labels[name] = labels.TryGetValue(name, out var previous) ? $"{previous};{value}" : value;
        }

        var builder = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            builder.Append(builder.Length > 0 ? "," : string.Empty).Append(name).Append("=\"");
            PrometheusText.AppendLabelValue(builder, value);
            builder.Append('"');
        }

        return builder.ToString();
    }
}
