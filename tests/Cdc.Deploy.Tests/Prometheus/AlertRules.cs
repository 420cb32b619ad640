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

    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(Repository.PathOf(folder), pattern)
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .Order(StringComparer.Ordinal);
}
