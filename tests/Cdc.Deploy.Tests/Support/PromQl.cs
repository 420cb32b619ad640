using System.Text.RegularExpressions;

namespace Cdc.Deploy.Tests.Support;

internal static partial class PromQl
{
    /// <summary>The Cdc metric names an expression reads (<c>cdc_…</c>).</summary>
    public static IEnumerable<string> CdcMetrics(string expression) =>
        MetricName().Matches(expression).Select(m => m.Value).Distinct();

    /// <summary>The postgres_exporter slot series an expression reads (<c>pg_slot_…</c>).</summary>
    public static IEnumerable<string> SlotMetrics(string expression) =>
        SlotMetricName().Matches(expression).Select(m => m.Value).Distinct();

    [GeneratedRegex(@"\bcdc_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\bpg_slot_[a-z0-9_]+\b")]
    private static partial Regex SlotMetricName();
}
