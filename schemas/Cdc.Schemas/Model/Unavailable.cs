namespace Cdc.Schemas.Model;

/// <summary>
/// Marks a column whose value Debezium did not have: an unchanged TOASTed value sent as
/// <c>__debezium_unavailable_value</c>. A sink must leave the stored value as it is (DESIGN invariant 5).
/// </summary>
public sealed class Unavailable
{
    public const string Placeholder = "__debezium_unavailable_value";

    public static readonly Unavailable Value = new();

    private Unavailable()
    {
    }

    public override string ToString() => Placeholder;
}
