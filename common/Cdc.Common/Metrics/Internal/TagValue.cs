using System.Globalization;

namespace Cdc.Common.Metrics.Internal;

/// <summary>
/// The text of a tag value as it appears in a label. Lookups compare that text without allocating for strings and
/// span-formattable values (numbers, enums), so the same value recorded as <c>200</c> or <c>"200"</c> is one series.
/// </summary>
internal static class TagValue
{
    public const int StackBufferLength = 64;

    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The text of <paramref name="value"/>, written into <paramref name="buffer"/> when it has to be formatted.</summary>
    public static ReadOnlySpan<char> Chars(object? value, Span<char> buffer) => value switch
    {
        null => [],
        string s => s,
        bool b => b ? "true" : "false",
        ISpanFormattable f when f.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture) => buffer[..written],
        _ => Format(value),
    };

    public static int Hash(ReadOnlySpan<char> chars) => string.GetHashCode(chars);
}
