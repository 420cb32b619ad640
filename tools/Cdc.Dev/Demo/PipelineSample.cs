namespace Cdc.Dev.Demo;

/// <summary>One look at a running pipeline: seconds since the sampler started, writer transactions so far, events on
/// the captured topics, and events each subsystem's store has applied (in the order of the subsystems).</summary>
internal sealed record PipelineSample(double Seconds, long Transactions, long Produced, IReadOnlyList<long> Applied);
