using System.Reflection;

namespace Cdc.Benchmarks.Support;

/// <summary>How to start the <c>cdc</c> CLI this benchmark runs in, as a child process.</summary>
public sealed record CliLocation(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The running <c>cdc</c> (as <c>dotnet cdc.dll</c> or its apphost); null when the entry point is something else.</summary>
    public static CliLocation? Current()
    {
        var entry = Assembly.GetEntryAssembly()?.Location;
        var host = Environment.ProcessPath;
        if (string.IsNullOrEmpty(entry) || string.IsNullOrEmpty(host) || !string.Equals(Path.GetFileName(entry), "cdc.dll", StringComparison.Ordinal))
        {
            return null;
        }

        var hostName = Path.GetFileNameWithoutExtension(host);
        return string.Equals(hostName, "dotnet", StringComparison.Ordinal)
            ? new CliLocation(host, [entry])
            : new CliLocation(host, []);
    }
}
