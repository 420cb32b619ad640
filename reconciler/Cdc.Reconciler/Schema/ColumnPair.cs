namespace Cdc.Reconciler.Schema;

/// <summary>
/// One compared column: its name on each side and the SQL expressions (over the quoted column) that render equal
/// values as equal text on both sides (see <see cref="CanonicalText"/>).
/// </summary>
public sealed record ColumnPair(SideColumn Primary, SideColumn Store, string PrimaryExpression, string StoreExpression, bool IsKey);
