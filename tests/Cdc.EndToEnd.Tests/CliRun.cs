using System.Diagnostics;
using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary>One run of the built <c>cdc</c> CLI as a process, with the test's PostgreSQL and the repository root.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";

    public static async Task<CliRun> RunAsync(string postgres, TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(RepositoryPaths.CliDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CDC_POSTGRES"] = postgres;
        start.Environment["CDC_ROOT"] = RepositoryPaths.Root;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cdc {string.Join(' ', arguments)} did not finish in {limit.TotalMinutes:0} minutes:\n{await stdout}\n{await stderr}");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
