using System.Globalization;
using System.Text;

namespace Cdc.Capture.Source;

/// <summary>A row's key as one comparable string (incremental-snapshot windows match streamed keys by it).</summary>
internal static class RowKeys
{
    public static string Text(TableShape shape, object?[] values)
    {
        var text = new StringBuilder();
        foreach (var i in shape.KeyIndexes)
        {
            text.Append(values[i] switch
            {
                null => "\0",
                byte[] bytes => Convert.ToBase64String(bytes),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            }).Append('\u0001');
        }

        return text.ToString();
    }
}
