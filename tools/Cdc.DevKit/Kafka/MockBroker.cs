namespace Cdc.DevKit.Kafka;

/// <summary>One broker of a <see cref="MockCluster"/> (ids start at 1) and whether it accepts connections.</summary>
public sealed record MockBroker(int Id, bool IsUp);
