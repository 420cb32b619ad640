using System.Diagnostics;
using Cdc.DevKit;
using Npgsql;

namespace Cdc.Testing;

/// <summary>Runs one of the repository's scripts (e.g. <c>scripts/postgres.sh restart</c>) for fault tests.</summary>
public static class RepositoryScript
{
    /// <exception cref="InvalidOperationException">The script failed; the message holds its output.</exception>
    public static async Task RunAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(BuiltCommands.RepositoryRoot, script));
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // Pooled connections to the old server process are dead now; the next test must not pick one up.
        NpgsqlConnection.ClearAllPools();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {argument} failed: {output}");
        }
    }
}
