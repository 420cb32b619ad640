using System.Text;
using System.Text.RegularExpressions;
using Cdc.Deploy.Tests.Support;

namespace Cdc.Deploy.Tests.Docs;

/// <summary>
/// docs/design.md is what comments cite: every anchor cited after <c>design.md</c> in the repository must name one of
/// its headings (as GitHub derives anchors from headings), and no citation of the briefs outside the repository may
/// remain.
/// </summary>
public sealed partial class DesignCitationTests
{
    private const string Design = "docs/design.md";

    private static readonly string[] TextExtensions = [".cs", ".md", ".sh", ".yml", ".yaml", ".json", ".csproj", ".props", ".targets", ".sql", ".txt"];

    private static readonly string[] SkippedFolders = ["bin", "obj", ".git", ".artifacts", "TestResults", "node_modules"];

    // Spelled in pieces so that this file does not match itself.
    private static readonly string[] OutsideBriefs = ["DESIGN" + " invariant", "DESIGN" + ".md", "DEBEZIUM" + "-FACTS", "DESIGN" + "'s", "DESIGN" + " \""];

    [Fact]
    public void Anchors_EveryCitedAnchorIsAHeadingOfTheDesign()
    {
        var headings = HeadingAnchors(Repository.Read(Design));
        var cited = new List<(string File, string Anchor)>();
        foreach (var file in RepositoryTextFiles())
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(Repository.Root, file);
            cited.AddRange(DesignAnchor().Matches(text).Select(m => (relative, m.Groups[1].Value)));
            if (relative == Design)
            {
                cited.AddRange(LocalAnchor().Matches(text).Select(m => (relative, m.Groups[1].Value)));
            }
        }

        Assert.Contains(cited, c => c.Anchor.StartsWith("invariant-", StringComparison.Ordinal));
        var broken = cited.Where(c => !headings.Contains(c.Anchor)).Select(c => $"{c.File}: #{c.Anchor}").ToList();
        Assert.True(broken.Count == 0, "anchors that are no heading of docs/design.md:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void Citations_NoneOfTheBriefsOutsideTheRepository()
    {
        var found = new List<string>();
        foreach (var file in RepositoryTextFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (OutsideBriefs.Any(b => lines[i].Contains(b, StringComparison.Ordinal)))
                {
                    found.Add($"{Path.GetRelativePath(Repository.Root, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(found.Count == 0, "cite docs/design.md instead:\n" + string.Join('\n', found));
    }

    [Fact]
    public void Readme_LinksTheDesign()
    {
        Assert.Contains("](docs/design.md", Repository.Read("README.md"), StringComparison.Ordinal);
        Assert.Equal(10, HeadingAnchors(Repository.Read(Design)).Count(a => InvariantHeading().IsMatch(a)));
    }

    [Theory]
    [InlineData("Invariant 7: transient faults pause, they don't crash", "invariant-7-transient-faults-pause-they-dont-crash")]
    [InlineData("Heartbeats, transaction metadata and signals", "heartbeats-transaction-metadata-and-signals")]
    [InlineData("The `source.snapshot` marker", "the-sourcesnapshot-marker")]
    public void Slug_AsGitHubDerivesIt(string heading, string anchor)
    {
        Assert.Equal(anchor, Slug(heading));
    }

    /// <summary>The anchors of a Markdown file's headings (outside code fences); repeated headings get -1, -2, ...</summary>
    private static HashSet<string> HeadingAnchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            var heading = Heading().Match(line);
            if (inFence || !heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups[1].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string Slug(string heading)
    {
        var slug = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private static IEnumerable<string> RepositoryTextFiles() =>
        Directory.EnumerateFiles(Repository.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => !Path.GetRelativePath(Repository.Root, f).Split(Path.DirectorySeparatorChar).Any(SkippedFolders.Contains))
            .Where(f => TextExtensions.Contains(Path.GetExtension(f)) || Path.GetFileName(f) == "cdc");

    [GeneratedRegex(@"design\.md#([A-Za-z0-9_-]+)")]
    private static partial Regex DesignAnchor();

    [GeneratedRegex(@"\]\(#([A-Za-z0-9_-]+)\)")]
    private static partial Regex LocalAnchor();

    [GeneratedRegex(@"^#{1,6} +(.+?) *#* *$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^invariant-\d+-")]
    private static partial Regex InvariantHeading();
}
