using System.Text;

namespace Cdc.Store.Writes;

/// <summary>Writes rows in COPY's text format: tab-separated, <c>\N</c> for NULL, backslash escapes.</summary>
public sealed class CopyTextWriter
{
    private readonly StringBuilder _line = new();
    private bool _first = true;

    public void Field(string? text)
    {
        if (!_first)
        {
            _line.Append('\t');
        }

        _first = false;
        if (text is null)
        {
            _line.Append("\\N");
            return;
        }

        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    _line.Append("\\\\");
                    break;
                case '\t':
                    _line.Append("\\t");
                    break;
                case '\n':
                    _line.Append("\\n");
                    break;
                case '\r':
                    _line.Append("\\r");
                    break;
                default:
                    _line.Append(c);
                    break;
            }
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
}
