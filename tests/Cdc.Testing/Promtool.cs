using System.Diagnostics;

namespace Cdc.Testing;

/// <summary>Runs the real <c>promtool check metrics</c> over an exposition (installed by <c>./cdc test</c>).</summary>
public static class Promtool
{
    /// <returns>promtool's exit code and everything it printed.</returns>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool is not installed: run ./cdc test, which installs it");
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
