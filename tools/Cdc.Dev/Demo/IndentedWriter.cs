using System.Text;

namespace Cdc.Dev.Demo;

/// <summary>Writes every line to <paramref name="inner"/> with <paramref name="prefix"/> in front.</summary>
internal sealed class IndentedWriter(TextWriter inner, string prefix) : TextWriter
{
    private bool _lineStart = true;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (_lineStart && value != '\n')
        {
            inner.Write(prefix);
            _lineStart = false;
        }

        inner.Write(value);
        _lineStart = value == '\n';
    }
}
