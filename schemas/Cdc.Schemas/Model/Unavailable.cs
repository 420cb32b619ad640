namespace Cdc.Schemas.Model;

/// <summary>
/// Marks a column whose value Debezium did not have: an unchanged TOASTed value sent as
/// <c>__debezium_unavailable_value</c>. A sink must leave the stored value as it is
/// (docs/design.md#invariant-5-the-toast-placeholder-is-never-written).
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
