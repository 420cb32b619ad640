using System.Globalization;

namespace Cdc.Common.Metrics.Internal;

/// <summary>The text of a tag value as it appears in a label: the same value recorded as <c>200</c> or <c>"200"</c> is one series.</summary>
internal static class TagValue
{
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
