using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cdc.Store.Writes;

/// <summary>Writes rows in COPY's text format: tab-separated, <c>\N</c> for NULL, backslash escapes.</summary>
public sealed class CopyTextWriter
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\\\t\n\r");

    private readonly StringBuilder _line = new();
    private bool _first = true;

    public void Field(string? text)
    {
        Separate();
        if (text is null)
        {
            _line.Append("\\N");
            return;
        }

        var rest = text.AsSpan();
        for (var at = rest.IndexOfAny(Escaped); at >= 0; at = rest.IndexOfAny(Escaped))
        {
            _line.Append(rest[..at]).Append(rest[at] switch
            {
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                _ => "\\r",
            });
            rest = rest[(at + 1)..];
        }

        _line.Append(rest);
    }

    /// <summary>An integer field (digits need no escaping), or <c>\N</c> for null.</summary>
    public void Integer(long? value)
    {
        Separate();
        if (value is { } number)
        {
            _line.Append(CultureInfo.InvariantCulture, $"{number}");
        }
        else
        {
            _line.Append("\\N");
        }
    }

    public void EndRow()
    {
        _line.Append('\n');
        _first = true;
    }

    public int Length => _line.Length;

    public async Task FlushToAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        foreach (var chunk in _line.GetChunks())
        {
            await writer.WriteAsync(chunk, cancellationToken);
        }

        _line.Clear();
    }

    private void Separate()
    {
        if (!_first)
        {
            _line.Append('\t');
        }

        _first = false;
    }
}
