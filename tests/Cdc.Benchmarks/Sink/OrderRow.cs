namespace Cdc.Benchmarks.Sink;

/// <summary>One row of the benchmark's <c>orders</c> table as the primary holds it.</summary>
public readonly record struct OrderRow(long Id, string Status, int Qty, long AmountCents, long UpdatedAtMicros, string Note);
