namespace Cdc.Deploy.Tests;

public sealed class RepositoryLayoutTests
{
    [Fact]
    public void Solution_sits_at_the_repository_root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cdc.sln")))
            dir = dir.Parent;
        Assert.NotNull(dir);
        Assert.True(File.Exists(Path.Combine(dir!.FullName, "cdc")));
    }
}
