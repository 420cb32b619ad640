using System.Diagnostics;
using Cdc.DevKit;

namespace Cdc.Testing;

/// <summary>
/// A command line run by bash in the repository's root, exactly as the README writes it (<c>./cdc ...</c>, <c>kcat
/// ...</c>, pipes and all), with extra environment variables.
/// </summary>
public static class ShellCommand
{
    public static async Task<CliResult> RunAsync(string commandLine, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = BuiltCommands.RepositoryRoot,
        };
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return await ProcessRun.RunAsync(start, timeout ?? TimeSpan.FromMinutes(2), $"'{commandLine}'");
    }

    /// <summary>Fails (never skips) with how to install <paramref name="tool"/> when it is not on PATH.</summary>
    public static void Require(string tool, string script)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
        if (!found)
        {
            throw new InvalidOperationException($"{tool} is not installed: run {script} (./cdc test runs it)");
        }
    }
}
