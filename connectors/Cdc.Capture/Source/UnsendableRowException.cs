namespace Cdc.Capture.Source;

/// <summary>
/// A row with a value Debezium's format cannot carry in the configured mode (numeric NaN or ±Infinity under
/// <c>decimal.handling.mode=precise</c>, a date before year 1...). The other columns, the key among them when it could be
/// read, are in <see cref="Values"/>; the row is recorded as skipped, never silently dropped (docs/design.md#no-silent-loss).
/// </summary>
internal sealed class UnsendableRowException(TableShape shape, object?[] values, string reason) : Exception($"{shape.QualifiedName}: {reason}")
{
    public TableShape Shape { get; } = shape;

    public object?[] Values { get; } = values;

    public string Reason { get; } = reason;
}
