using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Cdc.Common.Hosting.Internal;

/// <summary>The value a new options object has at a configuration key (<c>Kafka:GroupId</c>), as <c>--help</c> shows it.</summary>
internal static class OptionDefaults
{
    /// <summary>The text of the value at <paramref name="key"/>, or null when there is none (no such property, null, empty).</summary>
    public static string? Of(object options, string key)
    {
        object? value = options;
        foreach (var part in key.Split(':'))
        {
            value = value switch
            {
                null => null,
                IDictionary dictionary => dictionary.Contains(part) ? dictionary[part] : null,
                _ => value.GetType().GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.GetValue(value),
            };
        }

        return value switch
        {
            null => null,
            string text => text.Length == 0 ? null : text,
            TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            Enum choice => choice.ToString().ToLowerInvariant(),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            ICollection { Count: 0 } => null,
            IEnumerable items and not IDictionary => string.Join(',', items.Cast<object>()),
            _ => null,
        };
    }
}
