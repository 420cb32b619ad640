namespace Cdc.Schemas.Connect;

/// <summary>
/// One column's entry in the <see cref="BitLengthsHeader"/>: a <c>bit varying</c> value's own length, or, for an array
/// of them, each element's (<see cref="Elements"/>, null for a NULL element).
/// </summary>
public readonly record struct BitLength
{
    /// <summary>The value's length in bits; 0 for an array (then <see cref="Elements"/> is set).</summary>
    public int Length { get; private init; }

    /// <summary>Each element's length, null for a NULL element; null when the column is not an array.</summary>
    public IReadOnlyList<int?>? Elements { get; private init; }

    public static implicit operator BitLength(int length) => new() { Length = length };

    public static BitLength Of(IReadOnlyList<int?> elements) => new() { Elements = elements };

    public bool Equals(BitLength other) =>
        Length == other.Length && (Elements is null ? other.Elements is null : other.Elements is not null && Elements.SequenceEqual(other.Elements));

    public override int GetHashCode() => HashCode.Combine(Length, Elements?.Count);
}
