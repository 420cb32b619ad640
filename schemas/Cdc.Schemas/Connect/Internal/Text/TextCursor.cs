namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>A forward reader over PostgreSQL output text; failures throw <see cref="ValueDecodeError"/>.</summary>
internal ref struct TextCursor(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;

    public int Position { get; private set; }

    public readonly bool AtEnd => Position >= _text.Length;

    public readonly char Current => _text[Position];

    public readonly ReadOnlySpan<char> Rest => _text[Position..];

    public bool TryConsume(char c)
    {
        if (Position < _text.Length && _text[Position] == c)
        {
            Position++;
            return true;
        }

        return false;
    }

    public bool TryConsume(ReadOnlySpan<char> literal)
    {
        if (_text[Position..].StartsWith(literal, StringComparison.Ordinal))
        {
            Position += literal.Length;
            return true;
        }

        return false;
    }

    public void Expect(char c, string what)
    {
        if (!TryConsume(c))
        {
            throw new ValueDecodeError($"expected '{c}' {what}");
        }
    }

    /// <summary>An unsigned decimal number of <paramref name="min"/> to <paramref name="max"/> digits.</summary>
    public long Digits(int min, int max, string what)
    {
        long value = 0;
        var start = Position;
        while (Position < _text.Length && Position - start < max && char.IsAsciiDigit(_text[Position]))
        {
            value = (value * 10) + (_text[Position] - '0');
            Position++;
        }

        return Position - start < min ? throw new ValueDecodeError($"expected {what}") : value;
    }

    /// <summary>An optional <c>.fraction</c> of up to 7 digits (PostgreSQL prints at most 6) as ticks.</summary>
    public long FractionTicks()
    {
        if (!TryConsume('.'))
        {
            return 0;
        }

        var start = Position;
        long ticks = 0;
        long scale = TimeSpan.TicksPerSecond;
        while (Position < _text.Length && char.IsAsciiDigit(_text[Position]))
        {
            if (Position - start >= 7)
            {
                throw new ValueDecodeError("more than 7 fraction digits");
            }

            scale /= 10;
            ticks += (_text[Position] - '0') * scale;
            Position++;
        }

        return Position == start ? throw new ValueDecodeError("expected digits after the decimal point") : ticks;
    }

    public readonly void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw new ValueDecodeError($"unexpected \"{_text[Position..].ToString()}\"");
        }
    }
}
