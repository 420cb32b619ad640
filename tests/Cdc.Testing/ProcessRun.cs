using System.Diagnostics;

namespace Cdc.Testing;

/// <summary>Runs a process to its end, its output read apart, killed (with its children) when it takes too long.</summary>
internal static class ProcessRun
{
    /// <param name="start">Redirects standard output and error.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="what">How a timeout names it.</param>
    /// <exception cref="TimeoutException">It did not end in time; the message holds what it printed.</exception>
    public static async Task<CliResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, string what)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {what}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not end within {timeout}: {await stdout}{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
