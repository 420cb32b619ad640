namespace Cdc.Testing;

/// <summary>Finds the repository's files from a test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built <c>cdc</c> CLI of the same configuration as the tests (built by <c>./cdc test</c>).</summary>
    public static string CliDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(Root, "cli", "Cdc.Cli", "bin", configuration, "net10.0", "cdc.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build the CLI first (./cdc test does): {path}");
        }
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
