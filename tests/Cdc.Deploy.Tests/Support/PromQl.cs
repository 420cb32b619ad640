using System.Text.RegularExpressions;

namespace Cdc.Deploy.Tests.Support;

internal static partial class PromQl
{
    /// <summary>The Cdc metric names an expression reads (<c>cdc_…</c>).</summary>
    public static IEnumerable<string> CdcMetrics(string expression) =>
        MetricName().Matches(expression).Select(m => m.Value).Distinct();

    [GeneratedRegex(@"\bcdc_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
