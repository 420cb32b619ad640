namespace Cdc.Deploy.Tests.Support;

/// <summary>The repository's files, found from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <param name="relative">A path relative to the repository root, with '/' separators.</param>
    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cdc.sln")) && File.Exists(Path.Combine(dir.FullName, "cdc")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cdc.sln not found above " + AppContext.BaseDirectory);
    }
}
