using System.Text.Json;
using System.Text.RegularExpressions;
using Cdc.Deploy.Tests.Support;
using Cdc.DevKit;

namespace Cdc.Deploy.Tests.Packaging;

/// <summary>
/// The product ships without test code or dev tooling: the built <c>cdc</c> depends on no test framework, test
/// fixture, benchmark or dev assembly, and the image is built from the product's projects alone.
/// </summary>
public sealed partial class ProductPackagingTests
{
    [Fact]
    public void DepsJson_TheProductNamesNoTestOrDevAssembly()
    {
        var depsJson = Path.ChangeExtension(BuiltCommands.ProductDll, ".deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsJson));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();

        Assert.Contains("Cdc.Sink", libraries);
        Assert.Contains("Cdc.Capture", libraries);
        Assert.Contains("Cdc.Reconciler", libraries);
        var forbidden = libraries.Where(l => NotProduct().IsMatch(l)).ToList();
        Assert.True(forbidden.Count == 0, $"{depsJson} names {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void Dockerfile_CopiesNoTestOrToolsProject()
    {
        var copies = CopyLine().Matches(Repository.Read("deploy/Dockerfile")).Select(m => m.Groups[1].Value.Split(' ')).ToList();
        var ignored = Repository.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();

        Assert.NotEmpty(copies);
        Assert.All(copies.SelectMany(c => c[..^1]), source =>
        {
            Assert.NotEqual(".", source);
            Assert.False(source.StartsWith("tests/", StringComparison.Ordinal) || source.StartsWith("tools/", StringComparison.Ordinal), $"COPY {source}");
        });
        Assert.Contains("tests/", ignored);
        Assert.Contains("tools/", ignored);
    }

    [GeneratedRegex(@"^(xunit.*|Microsoft\.NET\.Test\.Sdk|Microsoft\.TestPlatform.*|Cdc\.Testing|Cdc\.Benchmarks|Cdc\.Dev.*|cdc-dev|.*\.Tests)$", RegexOptions.IgnoreCase)]
    private static partial Regex NotProduct();

    /// <summary>A build-stage COPY from the context (not <c>--from</c>): its sources and destination.</summary>
    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();
}
