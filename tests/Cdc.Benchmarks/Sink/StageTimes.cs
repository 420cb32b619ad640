namespace Cdc.Benchmarks.Sink;

/// <summary>Seconds spent and bytes allocated in each stage of the sink's pipeline over a profiled run.</summary>
public sealed class StageTimes
{
    public long Events { get; set; }

    public int Batches { get; set; }

    public double Consume { get; set; }

    public double Decode { get; set; }

    public double Plan { get; set; }

    public double Apply { get; set; }

    public double Total => Decode + Plan + Apply;

    /// <summary>Bytes the process allocated in each stage (<see cref="GC.GetTotalAllocatedBytes"/>): independent of the machine's load.</summary>
    public long DecodeBytes { get; set; }

    public long PlanBytes { get; set; }

    public long ApplyBytes { get; set; }

    public long TotalBytes => DecodeBytes + PlanBytes + ApplyBytes;
}
