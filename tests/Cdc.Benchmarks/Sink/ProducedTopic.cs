namespace Cdc.Benchmarks.Sink;

/// <summary>What was produced beforehand: the topic, its width, and the workload's op mix and size.</summary>
public sealed record ProducedTopic(string Name, int Partitions, long Events, long Bytes, double Seconds, int Creates, int Updates, int Deletes)
{
    public double AverageBytes => Events == 0 ? 0 : (double)Bytes / Events;
}
