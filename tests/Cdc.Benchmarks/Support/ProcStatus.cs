using System.Globalization;

namespace Cdc.Benchmarks.Support;

/// <summary>Memory figures from Linux's <c>/proc/&lt;pid&gt;/status</c>.</summary>
public static class ProcStatus
{
    /// <summary>Peak resident set size (VmHWM) in bytes; 0 where /proc is not available.</summary>
    public static long PeakRssBytes(int? pid = null) => ReadKilobytes(pid, "VmHWM:") * 1024;

    /// <summary>Current resident set size (VmRSS) in bytes; 0 where /proc is not available.</summary>
    public static long RssBytes(int? pid = null) => ReadKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>Resets this process's VmHWM to its current RSS (Linux 4.0+); false when not possible.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadKilobytes(int? pid, string field)
    {
        var path = pid is { } p ? $"/proc/{p.ToString(CultureInfo.InvariantCulture)}/status" : "/proc/self/status";
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var number = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
