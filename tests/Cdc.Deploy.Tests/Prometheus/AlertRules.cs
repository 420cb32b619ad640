using System.Text.Json.Nodes;
using Cdc.Deploy.Tests.Support;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>deploy/prometheus/rules/ and tests/, read as JSON.</summary>
internal static class AlertRules
{
    public const string Folder = "deploy/prometheus/rules";
    public const string TestFolder = "deploy/prometheus/tests";

    public static IEnumerable<string> RuleFiles() => Files(Folder, "*.yml");

    public static IEnumerable<string> TestFiles() => Files(TestFolder, "*.test.yml");

    public static async Task<List<JsonObject>> AlertsAsync()
    {
        var alerts = new List<JsonObject>();
        foreach (var file in RuleFiles())
        {
            var document = await Yaml.LoadAsync(file);
            alerts.AddRange(document["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).OfType<JsonObject>().Where(r => r["alert"] is not null));
        }

        return alerts;
    }

    /// <summary>
    /// A production rule made fast for a live test: <c>for</c> becomes 0 and, when <paramref name="threshold"/> is
    /// given, the expression's last term (<c>&gt; N</c>, where the rules keep their threshold) becomes it.
    /// </summary>
    public static async Task<JsonObject> FastAsync(string alert, string? threshold = null)
    {
        var rule = (JsonObject)(await AlertsAsync()).Single(a => (string?)a["alert"] == alert).DeepClone();
        var expression = (string)rule["expr"]!;
        if (threshold is not null)
        {
            Assert.Matches(@"> \d+$", expression);
            rule["expr"] = System.Text.RegularExpressions.Regex.Replace(expression, @"> \d+$", "> " + threshold);
        }

        rule["for"] = "0s";
        return rule;
    }

    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(Repository.PathOf(folder), pattern)
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .Order(StringComparer.Ordinal);
}
