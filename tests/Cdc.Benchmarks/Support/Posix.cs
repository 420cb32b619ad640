using System.Runtime.InteropServices;

namespace Cdc.Benchmarks.Support;

/// <summary>Signals for child processes (.NET's <see cref="System.Diagnostics.Process"/> can only SIGKILL).</summary>
public static partial class Posix
{
    private const int SigTerm = 15;

    /// <summary>Asks the process to stop as Kubernetes would; false when it is already gone.</summary>
    public static bool Terminate(int pid) => OperatingSystem.IsWindows() ? false : Kill(pid, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
