namespace Cdc.Schemas.Connect;

/// <summary>A PostgreSQL bit string (<c>bit(n)</c>, <c>varbit</c>) as its text of 0s and 1s.</summary>
/// <remarks>
/// Debezium's <c>io.debezium.data.Bits</c> carries no value length, so a decoded <c>bit varying</c> is padded to its
/// declared length (or shortest when unbounded) and <see cref="Exact"/> is false. It is true when the length is known:
/// the capture's own value, or one given its length by the <see cref="BitLengthsHeader"/>.
/// </remarks>
public readonly record struct BitString(string Bits)
{
    /// <summary>True when <see cref="Bits"/> has the value's own length, leading zeros included.</summary>
    public bool Exact { get; init; }

    /// <summary>This value with exactly <paramref name="length"/> bits: leading zeros added or removed.</summary>
    /// <exception cref="EventDecodeException">A set bit lies at or beyond <paramref name="length"/>.</exception>
    public BitString WithLength(int length)
    {
        var significant = Bits.AsSpan().TrimStart('0');
        if (length < 0 || significant.Length > length)
        {
            throw new EventDecodeException($"bit length {length} is shorter than the value's {significant.Length} significant bits");
        }

        return new BitString(significant.ToString().PadLeft(length, '0')) { Exact = true };
    }

    public override string ToString() => Bits;
}
