namespace Cdc.DevKit.Kafka;

/// <summary>A topic created through <see cref="MockCluster.CreateTopic"/>.</summary>
public sealed record MockTopic(string Name, int Partitions, int ReplicationFactor);
