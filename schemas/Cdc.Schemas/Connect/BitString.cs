namespace Cdc.Schemas.Connect;

/// <summary>A PostgreSQL bit string (<c>bit(n)</c>, <c>varbit</c>) as its text of 0s and 1s.</summary>
public readonly record struct BitString(string Bits)
{
    public override string ToString() => Bits;
}
