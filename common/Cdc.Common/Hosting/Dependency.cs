namespace Cdc.Common.Hosting;

/// <summary>A server a command needs at start; <see cref="Preflight"/> checks it answers before the command runs.</summary>
/// <param name="What">How messages name it: <c>the store</c>, <c>the primary</c>, <c>Kafka</c>.</param>
public abstract record Dependency(string What);
