using System.Diagnostics;

namespace Cdc.Benchmarks.Support;

/// <summary>CPU time (user + system) of processes: a cost per event that contention on a shared machine hardly moves.</summary>
public static class CpuTime
{
    /// <summary>Seconds of CPU the process has used; 0 when it is gone or not visible.</summary>
    public static double Seconds(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime.TotalSeconds;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return 0;
        }
    }

    public static double Seconds(IEnumerable<int> pids) => pids.Sum(Seconds);

    public static double CurrentProcess()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
