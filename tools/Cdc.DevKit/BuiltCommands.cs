using System.Diagnostics;

namespace Cdc.DevKit;

/// <summary>
/// The repository's two built commands and which one runs what, as <c>./cdc</c> routes them: the product <c>cdc</c>
/// (cli/Cdc.Cli: sink, capture, reconcile) and the dev tool <c>cdc-dev</c> (tools/Cdc.Dev: kafka, registry, demo, chaos, bench).
/// Both are found from the running assembly's build output inside the repository, in the same configuration.
/// </summary>
public static class BuiltCommands
{
    /// <summary>The commands <c>./cdc</c> sends to cdc-dev; every other command goes to the product.</summary>
    public static IReadOnlyList<string> DevCommands { get; } = ["kafka", "registry", "demo", "chaos", "bench"];

    /// <summary>The folder holding <c>Cdc.sln</c> above the running assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The product's <c>cdc.dll</c> (it may not be built yet).</summary>
    public static string ProductDll => Output("cli/Cdc.Cli", "cdc.dll");

    /// <summary>The dev tool's <c>cdc-dev.dll</c> (it may not be built yet).</summary>
    public static string DevDll => Output("tools/Cdc.Dev", "cdc-dev.dll");

    public static string DllFor(string command) => DevCommands.Contains(command) ? DevDll : ProductDll;

    /// <summary><c>dotnet &lt;dll&gt; &lt;arguments&gt;</c> for the command <c>arguments[0]</c>, output redirected.</summary>
    /// <exception cref="FileNotFoundException">That command is not built.</exception>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var dll = DllFor(arguments.Count > 0 ? arguments[0] : "help");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build it first (./cdc build): {dll}", dll);
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string Output(string project, string dll)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepositoryRoot, project, "bin", configuration, "net10.0", dll);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cdc.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cdc.sln not found above " + AppContext.BaseDirectory);
    }
}
