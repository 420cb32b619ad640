namespace Cdc.Benchmarks.Sink;

/// <summary>One change on the primary: <paramref name="Op"/> is Debezium's <c>c</c>, <c>u</c> or <c>d</c>;
/// <paramref name="Version"/> orders changes (one transaction each) and becomes <c>source.sequence</c>.</summary>
public readonly record struct OrderChange(char Op, long Version, OrderRow Row);
