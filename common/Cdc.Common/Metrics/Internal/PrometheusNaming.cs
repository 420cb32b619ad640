using System.Text;

namespace Cdc.Common.Metrics.Internal;

/// <summary>
/// Maps OpenTelemetry-style instrument names (<c>cdc.sink.events</c>) to Prometheus names
/// (<c>cdc_sink_events_total</c>): separators become <c>_</c>, other invalid characters are dropped, the base-unit
/// suffix (<c>_seconds</c>, <c>_bytes</c>) and the counter suffix <c>_total</c> are added when missing.
/// </summary>
internal static class PrometheusNaming
{
    public static string MetricName(string instrumentName, string? unit, MetricKind kind)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        if (kind == MetricKind.Counter && name.EndsWith("_total", StringComparison.Ordinal) && name.Length > "_total".Length)
        {
            name = name[..^"_total".Length];
        }

        if (UnitSuffix(unit) is { } suffix && name != suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name = $"{name}_{suffix}";
        }

        // Prometheus reserves these suffixes for histogram series: a gauge named db_client_connection_count
        // (Npgsql's db.client.connection.count) would be read as part of a histogram, and promtool rejects it.
        if (kind != MetricKind.Histogram && ReservedSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))
        {
            name += "_value";
        }

        return kind == MetricKind.Counter ? name + "_total" : name;
    }

    private static readonly string[] ReservedSuffixes = ["_count", "_sum", "_bucket"];

    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>HELP text escapes backslash and line feed (prometheus-net writes it as given).</summary>
    public static string Help(string help) =>
        help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>Only base units get a suffix: other units (<c>ms</c>, <c>{event}</c>) are not Prometheus base units.</summary>
    public static string? UnitSuffix(string? unit) => unit?.Trim() switch
    {
        "s" => "seconds",
        "By" => "bytes",
        _ => null,
    };

    private static string Sanitize(string value, bool allowColon)
    {
        var builder = new StringBuilder(value.Length + 1);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':'))
            {
                builder.Append(c);
            }
            else if (c is '.' or '-' or ' ' or '/' || (!allowColon && c == ':'))
            {
                builder.Append('_');
            }
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
